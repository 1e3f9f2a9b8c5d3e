package dev.tokencenter.miniprogram;

import dev.tokencenter.wechat.UpstreamPhoneNumber;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The bodies the mini program endpoints answer with; none shows a secret in {@code toString()}. */
final class MiniProgramResponses {

    private MiniProgramResponses() {
    }

    @Schema(name = "MiniProgramSession")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SessionResponse(
            @Schema(description = "The user's openid in this mini program") String openid,
            @Schema(description = "Only when the mini program is bound to an Open Platform account",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) String unionid,
            @Schema(description = "Opaque id of the session (43 characters, base64url); the session_key stays in the center")
            String sessionId,
            @Schema(description = "When the center forgets the session (ISO-8601, UTC)", example = "2026-12-01T10:00:00Z")
            String expiresAt) {

        static SessionResponse of(LoginSession session) {
            return new SessionResponse(session.openid(), session.unionid(), session.sessionId(),
                    DateTimeFormatter.ISO_INSTANT.format(session.expiresAt().truncatedTo(ChronoUnit.SECONDS)));
        }

        @Override
        public String toString() {
            return "SessionResponse[expiresAt=" + expiresAt + "]";
        }
    }

    @Schema(name = "PhoneNumber")
    record PhoneNumberResponse(
            @Schema(description = "With the country code for numbers outside mainland China", example = "13800138000")
            String phoneNumber,
            @Schema(description = "Without the country code", example = "13800138000") String purePhoneNumber,
            @Schema(description = "Always a string, whatever type WeChat used", example = "86") String countryCode,
            Watermark watermark) {

        static PhoneNumberResponse of(UpstreamPhoneNumber phone) {
            return new PhoneNumberResponse(phone.phoneNumber(), phone.purePhoneNumber(), phone.countryCode(),
                    new Watermark(phone.watermarkTimestamp(), phone.watermarkAppid()));
        }

        @Override
        public String toString() {
            return "PhoneNumberResponse[number hidden]";
        }
    }

    @Schema(name = "PhoneNumberWatermark")
    record Watermark(@Schema(description = "Unix seconds") long timestamp, String appid) {
    }
}
