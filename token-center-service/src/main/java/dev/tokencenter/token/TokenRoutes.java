package dev.tokencenter.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springdoc.core.annotations.RouterOperation;
import org.springdoc.core.annotations.RouterOperations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Functional routes of the token API: on the hot path they cost less than annotated controllers (see docs/benchmarks.md). */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = "clientKey", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "tck_<client id>_<secret>",
        description = "A client key from the admin API (POST /admin/api/tenants/{tenant}/clients)")
class TokenRoutes {

    static final String TOKEN_PATH = "/v1/tokens/{tenant}/{app}/{env}";
    static final String INVALIDATE_PATH = TOKEN_PATH + "/invalidate";

    @Bean
    @RouterOperations({
            @RouterOperation(path = TOKEN_PATH, method = RequestMethod.GET, operation = @Operation(
                    operationId = "getToken", tags = "Token API",
                    summary = "The current access token of one credential",
                    description = "Served from memory; the token has more than the configured minimum lifetime left. "
                            + "Cache-Control max-age never exceeds the time until the token must no longer be used.",
                    security = @SecurityRequirement(name = "clientKey"),
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod")},
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The token",
                                    headers = @Header(name = "Cache-Control", description = "private, max-age=N"),
                                    content = @Content(mediaType = "application/json",
                                            schema = @Schema(implementation = TokenResponse.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "The key is not granted this tenant/app/env",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env in a tenant the key may read",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable token now; see Retry-After",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = INVALIDATE_PATH, method = RequestMethod.POST, operation = @Operation(
                    operationId = "invalidateToken", tags = "Token API",
                    summary = "Report a token WeChat rejected (40001/40014/42001) and get the current one",
                    description = "Compare-and-refresh: the credential is refreshed only if the reported token is "
                            + "still the current one (coalesced, rate-limited per credential); the answer is the "
                            + "current, possibly new, token. Rate-limited per client (429 + Retry-After).",
                    security = @SecurityRequirement(name = "clientKey"),
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod")},
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = TokenHandler.InvalidateRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The current token",
                                    content = @Content(mediaType = "application/json",
                                            schema = @Schema(implementation = TokenResponse.class))),
                            @ApiResponse(responseCode = "400", description = "No access_token in the body",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env",
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "429", description = "Too many reports from this client",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable token now",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = "application/problem+json",
                                            schema = @Schema(implementation = ProblemDetail.class)))}))})
    RouterFunction<ServerResponse> tokenApiRoutes(TokenHandler handler) {
        return RouterFunctions.route()
                .GET(TOKEN_PATH, handler::current)
                .POST(INVALIDATE_PATH, handler::invalidate)
                .build();
    }
}
