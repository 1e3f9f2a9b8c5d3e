package dev.tokenbench;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One token center instance of the refresh-scale benchmark: {@code --token-center.*}, {@code --spring.*} and
 * {@code --server.port} options become properties. With {@code --client-key-file} it also creates a client key
 * granted every credential of {@code --tenant} and writes it there. Writes {@code --ready-file} once started.
 */
public final class ScaleNode {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchLauncher.options(args);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.address", "127.0.0.1");
        properties.put("logging.level.root", "WARN");
        options.forEach((name, value) -> {
            if (name.startsWith("token-center.") || name.startsWith("spring.") || name.startsWith("server.")
                    || name.startsWith("management.") || name.startsWith("logging.")) {
                properties.put(name, value);
            }
        });
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("scale-bench", properties)))
                .run();
        String keyFile = options.get("client-key-file");
        if (keyFile != null) {
            String key = context.getBean(ApiClientService.class)
                    .createClient("bench", options.getOrDefault("tenant", "bench"), "scale-bench",
                            List.of(new ClientGrant("*", "*"))).key();
            Files.writeString(Path.of(keyFile), key);
        }
        Files.writeString(Path.of(options.get("ready-file")), "ready\n");
        new CountDownLatch(1).await();
    }
}
