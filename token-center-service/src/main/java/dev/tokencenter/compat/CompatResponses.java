package dev.tokencenter.compat;

import io.swagger.v3.oas.annotations.media.Schema;

/** Response shapes of the compatible endpoints, for the OpenAPI document only. */
final class CompatResponses {

    private CompatResponses() {
    }

    @Schema(name = "WechatAccessToken", description = "WeChat's token answer")
    record WechatToken(String accessToken, @Schema(example = "7000") long expiresIn) {
    }

    @Schema(name = "WecomAccessToken", description = "WeCom's token answer")
    record WecomToken(@Schema(example = "0") int errcode, @Schema(example = "ok") String errmsg, String accessToken,
                      @Schema(example = "7000") long expiresIn) {
    }

    @Schema(name = "WechatError", description = "WeChat's error answer (HTTP 200, except 429 for a rate-limited force_refresh)")
    record WechatError(@Schema(example = "40013") int errcode, @Schema(example = "invalid appid rid: 6552e3da-6397437b-3f0d4f01") String errmsg) {
    }

    @Schema(name = "StableTokenRequest")
    record StableTokenRequest(@Schema(example = "client_credential") String grantType,
                              @Schema(example = "wx0123456789abcdef") String appid,
                              @Schema(description = "A client key of the token center (not the AppSecret)") String secret,
                              @Schema(description = "true reports the current token as failing (rate-limited), never a blind refresh")
                              boolean forceRefresh) {
    }
}
