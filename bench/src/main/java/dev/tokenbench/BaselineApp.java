package dev.tokenbench;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The bare baseline: a minimal Spring WebFlux application (Netty, Jackson, no security, no actuator, no database)
 * answering the token API's paths with a Jackson-written JSON body of the same fields and sizes. Two variants of
 * the same endpoint: a functional route ({@code /v1/tokens/...}) and an annotated controller
 * ({@code /annotated/v1/tokens/...}), to compare the two programming models.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
        CodecsAutoConfiguration.class, ReactorAutoConfiguration.class, NettyReactiveWebServerAutoConfiguration.class,
        HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class})
public class BaselineApp {

    /** Same lengths as the service: a simulator token is "86_" + 133 characters; appids are wx + 16 hex. */
    static final String TOKEN = "86_" + "x".repeat(133);
    static final String APPID = "wx" + "0".repeat(16);

    public static void main(String[] args) {
        Map<String, String> options = BenchLauncher.options(args);
        // Command-line style so that they win over anything on the class path; the service's application.yml is
        // not loaded (different config name).
        new SpringApplicationBuilder(BaselineApp.class).run(
                "--spring.config.name=bench-baseline",
                "--server.port=" + options.getOrDefault("port", "18081"),
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--spring.jackson.property-naming-strategy=SNAKE_CASE",
                "--logging.level.root=WARN");
    }

    @Bean
    RouterFunction<ServerResponse> baselineRoute() {
        return RouterFunctions.route()
                .GET("/v1/tokens/{tenant}/{app}/{env}", request -> ServerResponse.ok()
                        .header("Cache-Control", "private, max-age=300")
                        .bodyValue(body(request.pathVariable("tenant"), request.pathVariable("app"),
                                request.pathVariable("env"))))
                .build();
    }

    static Body body(String tenant, String app, String env) {
        Instant expiresAt = Instant.now().plusSeconds(7000).truncatedTo(ChronoUnit.SECONDS);
        return new Body(TOKEN, 7000, expiresAt, APPID, tenant, app, env);
    }

    record Body(String accessToken, long expiresIn, Instant expiresAt, String appid, String tenant, String app,
                String env) {
    }

    /** Registered as a member class of this configuration. */
    @RestController
    static class AnnotatedBaseline {

        @GetMapping("/annotated/v1/tokens/{tenant}/{app}/{env}")
        Mono<Body> token(@PathVariable String tenant, @PathVariable String app, @PathVariable String env) {
            return Mono.just(body(tenant, app, env));
        }
    }
}
