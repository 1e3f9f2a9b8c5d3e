package dev.tokencenter.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code /admin} and {@code /admin/} open the admin UI's page (static resources serve only full file paths). */
@Configuration(proxyBeanMethods = false)
class AdminUiRoutes {

    private static final Resource INDEX = new ClassPathResource("META-INF/resources/admin/index.html");

    @Bean
    RouterFunction<ServerResponse> adminUiIndex() {
        return RouterFunctions.route()
                .GET("/admin", request -> index())
                .GET("/admin/", request -> index())
                .build();
    }

    private static reactor.core.publisher.Mono<ServerResponse> index() {
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX);
    }
}
