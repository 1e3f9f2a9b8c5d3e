package dev.tokencenter.jssdk;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** The body of {@code GET /v1/tokens/{tenant}/{app}/{env}/jsapi-ticket}. */
@Schema(name = "JsapiTicketResponse", description = "The current JS-SDK ticket of one credential")
record TicketResponse(
        @Schema(description = "The jsapi_ticket (WeCom: the corp or the app ticket)") String ticket,
        @Schema(description = "jsapi (official accounts), corp_jsapi or agent_config (WeCom)", example = "jsapi") String type,
        @Schema(description = "Seconds until the ticket expires upstream", example = "7000") long expiresIn,
        @Schema(description = "When the ticket expires upstream (ISO-8601, UTC)") Instant expiresAt,
        @Schema(description = "AppID (WeCom: corp id) of the credential", example = "wx0123456789abcdef") String appid,
        @Schema(example = "shop") String tenant,
        @Schema(example = "shop-h5") String app,
        @Schema(example = "prod") String env) {

    @Override
    public String toString() {
        return "TicketResponse[" + tenant + "/" + app + "/" + env + ", " + type + ", expiresAt=" + expiresAt + "]";
    }
}
