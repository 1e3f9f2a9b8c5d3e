package dev.tokencenter.jssdk;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

/** Functional routes of the JS-SDK endpoints (the client key is checked by the {@code /v1/**} security chain). */
@Configuration(proxyBeanMethods = false)
class JssdkRoutes {

    static final String TICKET_PATH = "/v1/tokens/{tenant}/{app}/{env}/jsapi-ticket";
    static final String SIGNATURE_PATH = "/v1/jssdk/{tenant}/{app}/{env}/signature";

    private static final String PROBLEM = "application/problem+json";

    @Bean
    @RouterOperations({
            @RouterOperation(path = TICKET_PATH, method = RequestMethod.GET, operation = @Operation(
                    operationId = "getJsapiTicket", tags = "JS-SDK",
                    summary = "The current JS-SDK ticket of an official account or WeCom app",
                    description = "Official accounts: the jsapi_ticket. WeCom: the corp ticket (wx.config) by default, "
                            + "the app ticket (wx.agentConfig) with type=agent_config. Asking enrols the credential: "
                            + "from then on the refresh engine keeps its ticket fresh.",
                    security = @SecurityRequirement(name = "clientKey"),
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-h5"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod"),
                            @Parameter(in = ParameterIn.QUERY, name = "type", required = false,
                                    description = "jsapi (official accounts), corp_jsapi or agent_config (WeCom)",
                                    schema = @Schema(allowableValues = {"jsapi", "corp_jsapi", "agent_config"}))},
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The ticket",
                                    headers = @Header(name = "Cache-Control", description = "private, max-age=N"),
                                    content = @Content(mediaType = "application/json",
                                            schema = @Schema(implementation = TicketResponse.class))),
                            @ApiResponse(responseCode = "400", description = "A type this credential has no ticket of",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "The key is not granted this tenant/app/env",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env in a tenant the key may read",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "A mini program: no JS-SDK",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable token or ticket now; see Retry-After",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = SIGNATURE_PATH, method = RequestMethod.POST, operation = @Operation(
                    operationId = "signJssdkUrl", tags = "JS-SDK",
                    summary = "A wx.config signature (WeCom: and a wx.agentConfig signature) for a page URL",
                    description = "SHA-1 of jsapi_ticket, noncestr, timestamp and the URL as given up to any '#'. "
                            + "WeCom: wx.config is signed with the corp ticket, agent_config with the app ticket.",
                    security = @SecurityRequirement(name = "clientKey"),
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-h5"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod")},
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = SignatureRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The signature",
                                    content = @Content(mediaType = "application/json",
                                            schema = @Schema(implementation = SignatureResponse.class))),
                            @ApiResponse(responseCode = "400", description = "No JSON body with an absolute http(s) url",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "A mini program: no JS-SDK",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "413", description = "Request body too large",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable token or ticket now; see Retry-After",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))}))})
    RouterFunction<ServerResponse> jssdkApiRoutes(JssdkHandler handler) {
        return RouterFunctions.route()
                .GET(TICKET_PATH, handler::ticket)
                .POST(SIGNATURE_PATH, handler::signature)
                .build();
    }
}
