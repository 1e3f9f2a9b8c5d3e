package dev.tokenbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request lists {@code bench/tokens.lua} sends round-robin, one file per endpoint: {@code paths.txt} (token API
 * paths of the mini programs, sent with the client key as bearer), and {@code classic.txt}, {@code stable.txt},
 * {@code wecom.txt} (the WeChat-compatible calls, the key as "secret"), one {@code METHOD<TAB>path[<TAB>body]} a line.
 */
final class BenchRequests {

    private BenchRequests() {
    }

    static void write(Path out, List<BenchCredentials.Registered> registered, String key) throws IOException {
        List<String> paths = new ArrayList<>();
        List<String> classic = new ArrayList<>();
        List<String> stable = new ArrayList<>();
        List<String> wecom = new ArrayList<>();
        for (BenchCredentials.Registered credential : registered) {
            if (credential.wecom()) {
                wecom.add("GET\t/cgi-bin/gettoken?corpid=" + credential.appid() + "&corpsecret=" + key);
                continue;
            }
            paths.add(credential.path());
            classic.add("GET\t/cgi-bin/token?grant_type=client_credential&appid=" + credential.appid() + "&secret=" + key);
            stable.add("POST\t/cgi-bin/stable_token\t{\"grant_type\":\"client_credential\",\"appid\":\""
                    + credential.appid() + "\",\"secret\":\"" + key + "\",\"force_refresh\":false}");
        }
        Files.writeString(out.resolve("paths.txt"), lines(paths));
        Files.writeString(out.resolve("classic.txt"), lines(classic));
        Files.writeString(out.resolve("stable.txt"), lines(stable));
        Files.writeString(out.resolve("wecom.txt"), lines(wecom));
    }

    private static String lines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
