package dev.tokencenter.jssdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of a signature answer: what {@code wx.config} (and on WeCom {@code wx.agentConfig}) needs. */
@Schema(name = "JssdkSignatureResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
record SignatureResponse(
        @Schema(description = "wx.config appId: the AppID (WeCom: the corp id)", example = "wx0123456789abcdef") String appId,
        @Schema(description = "Seconds since the epoch", example = "1414587457") long timestamp,
        @Schema(example = "Wm3WZYTPz0wzccnW") String nonceStr,
        @Schema(description = "Lower-case hex SHA-1", example = "0f9de62fce790f9a083d5c99e95740ceb90c27ed") String signature,
        @Schema(description = "WeCom only: the wx.agentConfig signature, made with the app ticket")
        AgentConfigSignature agentConfig) {

    /** WeCom's {@code wx.agentConfig}: signed with the app ({@code agent_config}) ticket. */
    @Schema(name = "JssdkAgentConfigSignature")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AgentConfigSignature(
            @Schema(description = "wx.agentConfig corpid", example = "ww0123456789abcdef") String corpId,
            @Schema(description = "wx.agentConfig agentid, when the environment's credential names one (absent otherwise:"
                    + " the caller supplies its own)", example = "1000002") String agentId,
            @Schema(example = "1414587457") long timestamp,
            @Schema(example = "Wm3WZYTPz0wzccnW") String nonceStr,
            @Schema(example = "0f9de62fce790f9a083d5c99e95740ceb90c27ed") String signature) {
    }
}
