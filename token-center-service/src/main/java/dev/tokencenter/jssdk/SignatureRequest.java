package dev.tokencenter.jssdk;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /v1/jssdk/{tenant}/{app}/{env}/signature}. */
@Schema(name = "JssdkSignatureRequest")
record SignatureRequest(
        @Schema(description = "The page URL (location.href): absolute http or https, at most 4096 characters; signed as"
                + " given up to any '#', never decoded or encoded", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "https://shop.example.com/pay?order=42")
        String url) {
}
