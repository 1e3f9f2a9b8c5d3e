package dev.tokencenter.miniprogram;

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

/**
 * Functional routes of the mini program services. Every answer but a 200/201/204 is a problem detail; the 401s come
 * from the security chain, which requires a client key on {@code /v1/**}.
 */
@Configuration(proxyBeanMethods = false)
class MiniProgramRoutes {

    static final String BASE = "/v1/miniprogram/{tenant}/{app}/{env}";
    static final String SESSIONS = BASE + "/sessions";
    static final String SESSION = SESSIONS + "/{session}";
    static final String DECRYPT = SESSION + "/decrypt";
    static final String CHECK = SESSION + "/check";
    static final String PHONE_NUMBER = BASE + "/phone-number";

    private static final String TAG = "Mini program";
    private static final String PROBLEM = "application/problem+json";
    private static final String JSON = "application/json";

    @Bean
    @RouterOperations({
            @RouterOperation(path = SESSIONS, method = RequestMethod.POST, operation = @Operation(
                    operationId = "createMiniProgramSession", tags = TAG, security = @SecurityRequirement(name = "clientKey"),
                    summary = "Log a user in: exchange a wx.login() code for a session whose session_key stays in the center",
                    description = "Calls jscode2session with the environment's AppSecret; the session_key is sealed in"
                            + " Redis under the answered session_id and replaces the user's previous session. Needs the"
                            + " right 'session'. Rate-limited per client (429 + Retry-After).",
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod")},
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = JSON,
                            schema = @Schema(implementation = MiniProgramRequests.LoginRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "201", description = "The new session",
                                    headers = @Header(name = "Location", description = "the session's path"),
                                    content = @Content(mediaType = JSON,
                                            schema = @Schema(implementation = MiniProgramResponses.SessionResponse.class))),
                            @ApiResponse(responseCode = "400", description = "No code in the body; WeChat: invalid, expired"
                                    + " (invalid-login-code, 40029) or used (login-code-used, 40163) code",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted 'session' (not-granted);"
                                    + " WeChat blocks the user (user-blocked, 40226)",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "Not a mini program, or disabled",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "429", description = "This client's limit (rate-limited) or"
                                    + " WeChat's per-minute limit (wechat-rate-limited, 45011)",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "502", description = "WeChat refused the center's call (wrong"
                                    + " AppSecret 40125, unknown AppID 40013) or answered something undocumented",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "WeChat busy (-1), slow or unreachable;"
                                    + " PostgreSQL or Redis unreachable",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = DECRYPT, method = RequestMethod.POST, operation = @Operation(
                    operationId = "decryptMiniProgramData", tags = TAG, security = @SecurityRequirement(name = "clientKey"),
                    summary = "Decrypt encryptedData with the session's session_key",
                    description = "AES-128-CBC with PKCS#7; the result must be a JSON object whose watermark.appid is"
                            + " the environment's AppID (and, when configured, whose watermark is recent enough). Needs"
                            + " the right 'session'. Rate-limited per client (429 + Retry-After).",
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod"),
                            @Parameter(in = ParameterIn.PATH, name = "session", required = true, description = "session_id")},
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = JSON,
                            schema = @Schema(implementation = MiniProgramRequests.DecryptRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The decrypted JSON object",
                                    content = @Content(mediaType = JSON, schema = @Schema(type = "object"))),
                            @ApiResponse(responseCode = "400", description = "No encrypted_data or iv; not base64;"
                                    + " wrong sizes; stale session_key (bad padding); not JSON; watermark of another"
                                    + " app or too old",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted 'session'",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env (credential-not-found) or"
                                    + " session (unknown-session: unknown, expired, replaced, logged out)",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "Not a mini program, or disabled",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "429", description = "This client's decryption limit",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "Redis unreachable",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = CHECK, method = RequestMethod.POST, operation = @Operation(
                    operationId = "checkMiniProgramSession", tags = TAG, security = @SecurityRequirement(name = "clientKey"),
                    summary = "Ask WeChat whether the session's session_key is still the user's current one",
                    description = "checksession with the managed access token (a refused token is reported once for"
                            + " compare-and-refresh and the call retried once). On 87009 the session is forgotten and"
                            + " the answer is 409 login-required. Needs the right 'session'.",
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod"),
                            @Parameter(in = ParameterIn.PATH, name = "session", required = true, description = "session_id")},
                    responses = {
                            @ApiResponse(responseCode = "200", description = "WeChat still accepts the session",
                                    content = @Content(mediaType = JSON,
                                            schema = @Schema(implementation = MiniProgramResponses.SessionResponse.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted 'session'",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env or session",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "login-required (87009: the session is"
                                    + " forgotten, log the user in again); not a mini program; disabled",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "502", description = "WeChat refused the call otherwise",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable access token; WeChat busy, slow"
                                    + " or unreachable; Redis unreachable",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = SESSION, method = RequestMethod.DELETE, operation = @Operation(
                    operationId = "deleteMiniProgramSession", tags = TAG, security = @SecurityRequirement(name = "clientKey"),
                    summary = "Log out: forget the session and its session_key",
                    description = "Needs the right 'session'. A session that is not there (unknown, expired, replaced,"
                            + " already logged out) is a 404.",
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod"),
                            @Parameter(in = ParameterIn.PATH, name = "session", required = true, description = "session_id")},
                    responses = {
                            @ApiResponse(responseCode = "204", description = "Forgotten"),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted 'session'",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env or session",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "Not a mini program, or disabled",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "Redis unreachable",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))})),
            @RouterOperation(path = PHONE_NUMBER, method = RequestMethod.POST, operation = @Operation(
                    operationId = "getMiniProgramPhoneNumber", tags = TAG, security = @SecurityRequirement(name = "clientKey"),
                    summary = "Exchange a phone code for the user's phone number",
                    description = "getuserphonenumber with the managed access token (a refused token is reported once"
                            + " for compare-and-refresh and the call retried once). Needs the right 'phone-number'.",
                    parameters = {
                            @Parameter(in = ParameterIn.PATH, name = "tenant", required = true, example = "shop"),
                            @Parameter(in = ParameterIn.PATH, name = "app", required = true, example = "shop-miniapp"),
                            @Parameter(in = ParameterIn.PATH, name = "env", required = true, example = "prod")},
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = JSON,
                            schema = @Schema(implementation = MiniProgramRequests.PhoneNumberRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "200", description = "The phone number (phone_info)",
                                    content = @Content(mediaType = JSON,
                                            schema = @Schema(implementation = MiniProgramResponses.PhoneNumberResponse.class))),
                            @ApiResponse(responseCode = "400", description = "No code; WeChat: invalid, used or expired"
                                    + " code (invalid-phone-code, 40029), code of another app (40013)",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "401", description = "Missing or invalid client key",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "403", description = "Not granted 'phone-number'",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "404", description = "No such app/env",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "409", description = "Not a mini program, or disabled",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "429", description = "WeChat's per-minute limit (45011)",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "502", description = "WeChat refused the call otherwise",
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class))),
                            @ApiResponse(responseCode = "503", description = "No usable access token; WeChat busy, slow"
                                    + " or unreachable",
                                    headers = @Header(name = "Retry-After", description = "seconds"),
                                    content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))}))})
    RouterFunction<ServerResponse> miniProgramApiRoutes(SessionHandler sessions, PhoneNumberHandler phoneNumbers,
                                                        MiniProgramCallMeter meter) {
        return RouterFunctions.route()
                .POST(SESSIONS, meter.counted("sessions.create", sessions::create))
                .POST(DECRYPT, meter.counted("sessions.decrypt", sessions::decrypt))
                .POST(CHECK, meter.counted("sessions.check", sessions::check))
                .DELETE(SESSION, meter.counted("sessions.delete", sessions::forget))
                .POST(PHONE_NUMBER, meter.counted("phone-number", phoneNumbers::phoneNumber))
                .build();
    }
}
