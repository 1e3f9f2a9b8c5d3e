package dev.tokencenter.miniprogram;

import io.swagger.v3.oas.annotations.media.Schema;

/** The bodies the mini program endpoints take; {@code toString()} never shows a code or encrypted data. */
final class MiniProgramRequests {

    /** Longer than any code or openid WeChat issues; a longer value is refused before any call. */
    static final int MAX_CODE_LENGTH = 1024;

    private MiniProgramRequests() {
    }

    @Schema(name = "MiniProgramLoginRequest")
    record LoginRequest(
            @Schema(description = "The code from wx.login(), exactly as the mini program received it (single use,"
                    + " valid 5 minutes)", requiredMode = Schema.RequiredMode.REQUIRED, maxLength = MAX_CODE_LENGTH)
            String code) {

        @Override
        public String toString() {
            return "LoginRequest[code hidden]";
        }
    }

    @Schema(name = "MiniProgramDecryptRequest")
    record DecryptRequest(
            @Schema(description = "encryptedData from the mini program (base64)", requiredMode = Schema.RequiredMode.REQUIRED)
            String encryptedData,
            @Schema(description = "iv from the mini program (base64 of 16 bytes)", requiredMode = Schema.RequiredMode.REQUIRED)
            String iv) {

        @Override
        public String toString() {
            return "DecryptRequest[hidden]";
        }
    }

    @Schema(name = "PhoneNumberRequest")
    record PhoneNumberRequest(
            @Schema(description = "The code from the phone-number button (single use, valid 5 minutes; not a"
                    + " wx.login() code)", requiredMode = Schema.RequiredMode.REQUIRED, maxLength = MAX_CODE_LENGTH)
            String code,
            @Schema(description = "The user's openid, passed on to WeChat", requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                    maxLength = MAX_CODE_LENGTH)
            String openid) {

        @Override
        public String toString() {
            return "PhoneNumberRequest[hidden]";
        }
    }
}
