package dev.tokencenter.compat;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springdoc.core.annotations.RouterOperation;
import org.springdoc.core.annotations.RouterOperations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Routes of the WeChat/WeCom-compatible token endpoints. */
@Configuration(proxyBeanMethods = false)
class CompatRoutes {

    private static final String TAG = "WeChat-compatible";
    private static final String ERRORS = "WeChat's error shape with HTTP 200: 40002 bad grant_type, 41002 appid missing, "
            + "41004 secret missing, 40125 wrong client key, 40013 AppID unknown in the key's tenant or not granted, "
            + "-1 no usable token now (with Retry-After)";

    @Bean
    @RouterOperations({
            @RouterOperation(path = "/cgi-bin/token", method = RequestMethod.GET, operation = @Operation(
                    operationId = "wechatToken", tags = TAG,
                    summary = "WeChat's classic token call, answered with the center's current token",
                    description = "The secret is a client key of the center. Same answer as api.weixin.qq.com. " + ERRORS,
                    parameters = {
                            @Parameter(in = ParameterIn.QUERY, name = "grant_type", required = true, example = "client_credential"),
                            @Parameter(in = ParameterIn.QUERY, name = "appid", required = true, example = "wx0123456789abcdef"),
                            @Parameter(in = ParameterIn.QUERY, name = "secret", required = true, description = "client key")},
                    responses = @ApiResponse(responseCode = "200", description = "token, or WeChat error",
                            content = @Content(mediaType = "application/json", schema = @Schema(
                                    oneOf = {CompatResponses.WechatToken.class, CompatResponses.WechatError.class}))))),
            @RouterOperation(path = "/cgi-bin/stable_token", method = RequestMethod.POST, operation = @Operation(
                    operationId = "wechatStableToken", tags = TAG,
                    summary = "WeChat's stable token call, answered with the center's current token",
                    description = "force_refresh:true reports the current token as failing: the center refreshes only "
                            + "if it is still current (coalesced, rate-limited per credential); per-client limit: "
                            + "HTTP 429 with Retry-After and errcode 45011. Bad JSON: 47001. " + ERRORS,
                    requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = CompatResponses.StableTokenRequest.class))),
                    responses = {
                            @ApiResponse(responseCode = "200", description = "token, or WeChat error",
                                    content = @Content(mediaType = "application/json", schema = @Schema(
                                            oneOf = {CompatResponses.WechatToken.class, CompatResponses.WechatError.class}))),
                            @ApiResponse(responseCode = "429", description = "force_refresh too often for this client",
                                    content = @Content(mediaType = "application/json",
                                            schema = @Schema(implementation = CompatResponses.WechatError.class)))})),
            @RouterOperation(path = "/cgi-bin/stable_token", method = RequestMethod.GET, operation = @Operation(
                    operationId = "wechatStableTokenGet", tags = TAG, summary = "Answers 43002 require POST method, as WeChat does",
                    responses = @ApiResponse(responseCode = "200", description = "WeChat error 43002",
                            content = @Content(mediaType = "application/json",
                                    schema = @Schema(implementation = CompatResponses.WechatError.class))))),
            @RouterOperation(path = "/cgi-bin/gettoken", method = RequestMethod.GET, operation = @Operation(
                    operationId = "wecomToken", tags = TAG,
                    summary = "WeCom's token call, answered with the center's current token",
                    description = "The corpsecret is a client key granted exactly the WeCom app wanted. Errors in WeCom's "
                            + "shape: 41002 corpid missing, 41004 corpsecret missing, 40001 wrong client key, 40013 corp "
                            + "unknown or not granted, -1 no usable token now.",
                    parameters = {
                            @Parameter(in = ParameterIn.QUERY, name = "corpid", required = true, example = "ww0123456789abcdef"),
                            @Parameter(in = ParameterIn.QUERY, name = "corpsecret", required = true, description = "client key")},
                    responses = @ApiResponse(responseCode = "200", description = "token, or WeCom error",
                            content = @Content(mediaType = "application/json", schema = @Schema(
                                    oneOf = {CompatResponses.WecomToken.class, CompatResponses.WechatError.class})))))})
    RouterFunction<ServerResponse> wechatCompatibleRoutes(WechatCompatHandler handler) {
        return RouterFunctions.route()
                .GET("/cgi-bin/token", handler::token)
                .POST("/cgi-bin/stable_token", handler::stableToken)
                .GET("/cgi-bin/stable_token", handler::stableTokenWithGet)
                .GET("/cgi-bin/gettoken", handler::wecomToken)
                .filter((request, next) -> Mono.defer(() -> next.handle(request))
                        .onErrorResume(failure -> handler.failed(failure, request)))
                .build();
    }
}
