package dev.tokencenter.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}. Schemas use snake_case like every JSON body of the service (the
 * schema generator has its own object mapper, which does not see {@code spring.jackson.property-naming-strategy}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI tokenCenterOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Token Center").description("""
                        Admin API under /admin/api: HTTP Basic or a session (POST /admin/login with form fields \
                        username and password; writes then need the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN \
                        header). Roles: VIEWER reads; OPERATOR also changes tenants, apps, environments and clients; \
                        ADMIN also manages admin users and master keys. Errors are RFC 9457 problem details; \
                        invalid input lists the fields in "errors". Secrets are write-only."""))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
