package dev.tokencenter.miniprogram;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checksession signature on WeChat's documented vector (WECHAT-API.md). */
class SessionSignatureTest {

    private static final String KEY = "o0q0otL8aEzpcZL/FT9WsQ==";

    @Test
    void signsWithTheBase64TextOfTheSessionKey() {
        assertThat(SessionSignature.of(KEY, "{\"foo\":\"bar\"}"))
                .isEqualTo("654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b");
        assertThat(SessionSignature.forCheck(KEY))
                .isEqualTo("46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128");
    }

    @Test
    void isLowerCaseHexOf32Bytes() {
        assertThat(SessionSignature.forCheck("tiihtNczf5v6AKRyjwEUhQ==")).matches("[0-9a-f]{64}");
    }
}
