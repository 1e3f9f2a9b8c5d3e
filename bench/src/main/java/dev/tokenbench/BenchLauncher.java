package dev.tokenbench;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.embedded.EmbeddedPostgresServer;
import dev.tokencenter.embedded.EmbeddedRedisServer;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts embedded PostgreSQL, embedded Redis, the WeChat simulator and the token center on {@code --port}, registers
 * {@code --credentials} mini program environments and one WeCom app ({@link BenchCredentials}) and one client key
 * granted all of them, fetches every token once, then writes {@code <out>/bench.env} (the key), the request lists
 * ({@link BenchRequests}) and runs until killed.
 */
public final class BenchLauncher {

    private static final String ACTOR = "bench";

    public static void main(String[] args) {
        try {
            run(options(args));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Map<String, String> options) throws Exception {
        int port = Integer.parseInt(options.getOrDefault("port", "18080"));
        int credentials = Integer.parseInt(options.getOrDefault("credentials", "100"));
        Path out = Path.of(options.getOrDefault("out", "bench/target/run"));
        Files.createDirectories(out);

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        WechatSimulator simulator = WechatSimulator.start(SimulatorSettings.defaults(), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            redis.close();
            postgres.close();
        }));

        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.datasource.username", postgres.username());
        properties.put("spring.datasource.password", postgres.password());
        properties.put("token-center.redis.address", redis.address());
        properties.put("token-center.crypto.master-keys", "bench1:" + randomBase64(32));
        properties.put("token-center.wechat.api-base-url", simulator.baseUrl());
        properties.put("token-center.wecom.api-base-url", simulator.baseUrl());
        properties.put("server.port", port);
        properties.put("server.address", "127.0.0.1");
        properties.put("management.server.port", 0);   // any free port: instances may run side by side
        properties.put("logging.level.root", "WARN");
        options.forEach((name, value) -> {
            if (name.startsWith("token-center.") || name.startsWith("spring.") || name.startsWith("management.")) {
                properties.put(name, value);
            }
        });
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("bench", properties)))
                .run();

        long registering = System.nanoTime();
        List<BenchCredentials.Registered> registered = BenchCredentials.register(context, simulator, credentials);
        String key = context.getBean(ApiClientService.class)
                .createClient(ACTOR, BenchCredentials.TENANT, "benchmark", List.of(new ClientGrant("*", "*"))).key();
        int bodyLength = fetchAll(registered, "http://127.0.0.1:" + port, key);
        long seconds = (System.nanoTime() - registering) / 1_000_000_000L;
        BenchRequests.write(out, registered, key);
        Files.writeString(out.resolve("bench.env"), "BENCH_KEY=" + key + "\nBENCH_BODY_LENGTH=" + bodyLength + "\n");
        System.out.println("BENCH READY port=" + port + " credentials=" + credentials + " body=" + bodyLength
                + " bytes setup=" + seconds + "s");
        new CountDownLatch(1).await();
    }

    /** Reads every token once (a first read starts the first fetch), 16 at a time; the body length of a mini program's. */
    private static int fetchAll(List<BenchCredentials.Registered> registered, String base, String key) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> lengths = new ArrayList<>();
            for (BenchCredentials.Registered credential : registered) {
                lengths.add(pool.submit(() -> fetchUntilOk(http, base + credential.path(), key)));
            }
            for (Future<Integer> length : lengths) {
                length.get();
            }
            return lengths.get(0).get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static int fetchUntilOk(HttpClient http, String url, String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build();
        String last = "";
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body().length();
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (java.net.http.HttpTimeoutException e) {
                last = "timed out";
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("token of " + url + " not served: " + last);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    private static String randomBase64(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

}
