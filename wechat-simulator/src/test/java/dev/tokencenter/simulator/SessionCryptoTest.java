package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The session cryptography against WeChat's published vectors (WECHAT-API.md). */
class SessionCryptoTest {

    private static final String SAMPLE_SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ==";
    private static final String SAMPLE_IV = "r7BXXKkLb8qrSNn05n0qiA==";
    private static final String SAMPLE_ENCRYPTED_DATA = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS"
            + "9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8"
            + "Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FR"
            + "AUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLI"
            + "VWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG"
            + "20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";

    @Test
    void decryptsWechatsDocumentedSample() throws Exception {
        byte[] plain = SessionCrypto.decrypt(SAMPLE_SESSION_KEY, SAMPLE_IV, SAMPLE_ENCRYPTED_DATA);

        assertThat(plain).hasSize(393);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)))
                .isEqualTo("3237d8a5dbd413523c194882c7156544d8a06e2afcc97383cc300c17bd09391b");
        Map<String, Object> json = Json.readObject(plain);
        assertThat(json).containsEntry("openId", "oGZUI0egBJY1zhBYw2KhdUfwVJJE")
                .containsEntry("watermark", Map.of("timestamp", 1477314187, "appid", "wx4f4bc4dec97d474b"));
    }

    @Test
    void encryptsInWechatsFormat() throws Exception {
        String sessionKey = RandomIds.sessionKey();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("openId", "openid-1");
        payload.put("nickName", "微信用户");
        EncryptedPayload first = SessionCrypto.encryptWithWatermark(sessionKey, "wx0123456789abcdef", 1700000000L,
                payload);
        EncryptedPayload second = SessionCrypto.encryptWithWatermark(sessionKey, "wx0123456789abcdef", 1700000000L,
                payload);

        byte[] iv = Base64.getDecoder().decode(first.iv());
        assertThat(iv).hasSize(16);
        assertThat(second.iv()).as("a random iv each time").isNotEqualTo(first.iv());
        String expected = "{\"openId\":\"openid-1\",\"nickName\":\"微信用户\","
                + "\"watermark\":{\"timestamp\":1700000000,\"appid\":\"wx0123456789abcdef\"}}";
        byte[] expectedBytes = expected.getBytes(StandardCharsets.UTF_8);

        // independent AES-128-CBC without padding removal: PKCS#7 pads 1..16 bytes, each holding the pad length
        Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
        raw.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(sessionKey), "AES"),
                new IvParameterSpec(iv));
        byte[] padded = raw.doFinal(Base64.getDecoder().decode(first.encryptedData()));
        int pad = 16 - expectedBytes.length % 16;
        assertThat(padded).hasSize(expectedBytes.length + pad);
        assertThat(Arrays.copyOfRange(padded, 0, expectedBytes.length)).isEqualTo(expectedBytes);
        for (int i = expectedBytes.length; i < padded.length; i++) {
            assertThat(padded[i]).isEqualTo((byte) pad);
        }
        assertThat(SessionCrypto.decrypt(sessionKey, second.iv(), second.encryptedData())).isEqualTo(expectedBytes);
    }

    @Test
    void aPayloadWithItsOwnWatermarkKeepsIt() throws Exception {
        String sessionKey = RandomIds.sessionKey();
        Map<String, Object> payload = Map.of("watermark", Map.of("timestamp", 1, "appid", "wxforeign"));
        EncryptedPayload encrypted = SessionCrypto.encryptWithWatermark(sessionKey, "wx0123456789abcdef", 2L, payload);
        assertThat(Json.readObject(SessionCrypto.decrypt(sessionKey, encrypted.iv(), encrypted.encryptedData())))
                .isEqualTo(payload);
    }

    @Test
    void anotherSessionKeyCannotReadIt() {
        String sessionKey = RandomIds.sessionKey();
        byte[] plaintext = "{\"phoneNumber\":\"13800138000\"}".getBytes(StandardCharsets.UTF_8);
        EncryptedPayload encrypted = SessionCrypto.encrypt(sessionKey, plaintext);
        String otherKey = RandomIds.sessionKey();
        try {
            assertThat(SessionCrypto.decrypt(otherKey, encrypted.iv(), encrypted.encryptedData()))
                    .as("a wrong key that happens to pass the padding check yields garbage").isNotEqualTo(plaintext);
        } catch (BadPaddingException expected) {
            // the usual outcome
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> SessionCrypto.encrypt("dG9vc2hvcnQ=", plaintext))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> SessionCrypto.encrypt("@@@@secret@@@@", plaintext))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
    }

    @Test
    void loginStateSignatureReproducesTheDocumentedVectors() {
        assertThat(SessionCrypto.loginStateSignature("o0q0otL8aEzpcZL/FT9WsQ==", ""))
                .isEqualTo("46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128");
        assertThat(WechatSimulator.sessionSignature("o0q0otL8aEzpcZL/FT9WsQ=="))
                .isEqualTo("46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128");
        assertThat(SessionCrypto.loginStateSignature("o0q0otL8aEzpcZL/FT9WsQ==", "{\"foo\":\"bar\"}"))
                .isEqualTo("654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b");
    }
}
