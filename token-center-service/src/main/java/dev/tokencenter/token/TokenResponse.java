package dev.tokencenter.token;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * The body of a token response. Documented here for OpenAPI; written by {@link TokenJson} without a mapper.
 */
@Schema(name = "TokenResponse", description = "The current access token of one credential")
public record TokenResponse(
        @Schema(description = "The WeChat / WeCom access token") String accessToken,
        @Schema(description = "Seconds until the token expires upstream", example = "6900") long expiresIn,
        @Schema(description = "When the token expires upstream (ISO-8601, UTC)") Instant expiresAt,
        @Schema(description = "AppID (WeCom: corp id) of the credential", example = "wx0123456789abcdef") String appid,
        @Schema(example = "shop") String tenant,
        @Schema(example = "shop-miniapp") String app,
        @Schema(example = "prod") String env) {

    @Override
    public String toString() {
        return "TokenResponse[" + tenant + "/" + app + "/" + env + ", expiresAt=" + expiresAt + "]";
    }
}
