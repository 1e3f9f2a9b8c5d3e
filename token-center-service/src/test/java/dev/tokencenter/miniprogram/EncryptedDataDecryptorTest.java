package dev.tokencenter.miniprogram;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** encryptedData decryption on WeChat's documented sample and on data made here with a known key. */
class EncryptedDataDecryptorTest {

    /** WeChat's documented sample (WECHAT-API.md). */
    static final String SAMPLE_KEY = "tiihtNczf5v6AKRyjwEUhQ==";
    static final String SAMPLE_IV = "r7BXXKkLb8qrSNn05n0qiA==";
    static final String SAMPLE_DATA = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
    static final String SAMPLE_APPID = "wx4f4bc4dec97d474b";
    static final long SAMPLE_TIMESTAMP = 1477314187L;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant SAMPLE_TIME = Instant.ofEpochSecond(SAMPLE_TIMESTAMP);

    @Test
    void wechatsDocumentedSampleDecryptsToTheDocumentedBytes() throws Exception {
        byte[] plaintext = EncryptedDataDecryptor.plaintext(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV);

        assertThat(plaintext).hasSize(393);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plaintext)))
                .isEqualTo("3237d8a5dbd413523c194882c7156544d8a06e2afcc97383cc300c17bd09391b");
    }

    @Test
    void wechatsDocumentedSampleIsTheUserDataOfItsApp() {
        JsonNode data = EncryptedDataDecryptor.decrypt(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV, SAMPLE_APPID,
                SAMPLE_TIME.plusSeconds(30), Duration.ofMinutes(5));

        assertThat(data.isObject()).isTrue();
        assertThat(data.get("openId").asString()).isEqualTo("oGZUI0egBJY1zhBYw2KhdUfwVJJE");
        assertThat(data.get("watermark").get("appid").asString()).isEqualTo(SAMPLE_APPID);
        assertThat(data.get("watermark").get("timestamp").asLong()).isEqualTo(SAMPLE_TIMESTAMP);
    }

    @Test
    void aWatermarkOfAnotherAppIsRefused() {
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV,
                "wx0000000000000000", SAMPLE_TIME, null))
                .isInstanceOfSatisfying(DecryptionFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.FOREIGN_WATERMARK));
    }

    @Test
    void aWatermarkOlderThanTheMaximumAgeIsRefusedAndAnyAgeIsAcceptedWithoutOne() {
        Instant muchLater = SAMPLE_TIME.plus(Duration.ofDays(3000));
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV, SAMPLE_APPID,
                muchLater, Duration.ofMinutes(10)))
                .isInstanceOfSatisfying(DecryptionFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.WATERMARK_TOO_OLD));
        assertThat(EncryptedDataDecryptor.decrypt(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV, SAMPLE_APPID, muchLater, null)
                .get("openId").asString()).isEqualTo("oGZUI0egBJY1zhBYw2KhdUfwVJJE");
        // exactly at the limit is still young enough
        assertThat(EncryptedDataDecryptor.decrypt(SAMPLE_KEY, SAMPLE_DATA, SAMPLE_IV, SAMPLE_APPID,
                SAMPLE_TIME.plusSeconds(600), Duration.ofMinutes(10)).isObject()).isTrue();
    }

    @Test
    void anotherSessionKeyGivesABadPaddingOrNotJsonNeverGarbage() {
        int badPadding = 0;
        int notJson = 0;
        for (int i = 0; i < 40; i++) {
            String otherKey = randomKey();
            try {
                EncryptedDataDecryptor.decrypt(otherKey, SAMPLE_DATA, SAMPLE_IV, SAMPLE_APPID, SAMPLE_TIME, null);
                throw new AssertionError("decrypted with a random key");
            } catch (DecryptionFailure failure) {
                switch (failure.reason()) {
                    case BAD_PADDING -> badPadding++;
                    case NOT_JSON -> notJson++;
                    default -> throw new AssertionError("unexpected " + failure.reason());
                }
                assertThat(failure.getMessage()).doesNotContain(otherKey).doesNotContain("Band");
            }
        }
        assertThat(badPadding).isPositive();
        assertThat(badPadding + notJson).isEqualTo(40);
    }

    @Test
    void aTamperedLastBlockIsABadPaddingAndATamperedFirstBlockIsNotJson() {
        String key = randomKey();
        byte[] iv = random(16);
        byte[] ciphertext = encrypt(key, iv, payload("wx1111111111111111", 1_700_000_000L));

        byte[] lastBlock = ciphertext.clone();
        lastBlock[lastBlock.length - 1] ^= 0x01;
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(key, b64(lastBlock), b64(iv), "wx1111111111111111",
                Instant.now(), null))
                .isInstanceOfSatisfying(DecryptionFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.BAD_PADDING));

        // flipping the iv's first byte turns the opening '{' into something else: decrypts, but is not JSON
        byte[] otherIv = iv.clone();
        otherIv[0] ^= 0x40;
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(key, b64(ciphertext), b64(otherIv), "wx1111111111111111",
                Instant.now(), null))
                .isInstanceOfSatisfying(DecryptionFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.NOT_JSON));

        assertThat(EncryptedDataDecryptor.decrypt(key, b64(ciphertext), b64(iv), "wx1111111111111111", Instant.now(), null)
                .get("nickName").asString()).isEqualTo("Band");
    }

    @Test
    void plaintextThatIsJsonButNotAnObjectIsNotJsonUserData() {
        String key = randomKey();
        byte[] iv = random(16);
        byte[] array = encrypt(key, iv, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        byte[] trailing = encrypt(key, iv, "{\"watermark\":{\"appid\":\"wx1\"}} x".getBytes(StandardCharsets.UTF_8));

        for (byte[] data : new byte[][] {array, trailing}) {
            assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(key, b64(data), b64(iv), "wx1", Instant.now(), null))
                    .isInstanceOfSatisfying(DecryptionFailure.class,
                            failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.NOT_JSON));
        }
    }

    @Test
    void missingWatermarkIsRefusedAsForeign() {
        String key = randomKey();
        byte[] iv = random(16);
        byte[] data = encrypt(key, iv, "{\"openId\":\"o1\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(key, b64(data), b64(iv), "wx1", Instant.now(), null))
                .isInstanceOfSatisfying(DecryptionFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(DecryptionFailure.Reason.FOREIGN_WATERMARK));
    }

    @Test
    void badBase64AndWrongSizesNameTheField() {
        assertFailure(SAMPLE_KEY, "not base64!", SAMPLE_IV, DecryptionFailure.Reason.NOT_BASE64, "encrypted_data");
        assertFailure(SAMPLE_KEY, SAMPLE_DATA, "r7BXXKkLb8qrSNn05n0qiA=", DecryptionFailure.Reason.NOT_BASE64, "iv");
        assertFailure(SAMPLE_KEY, SAMPLE_DATA, b64(random(12)), DecryptionFailure.Reason.WRONG_SIZE, "iv");
        assertFailure(SAMPLE_KEY, b64(random(33)), SAMPLE_IV, DecryptionFailure.Reason.WRONG_SIZE, "encrypted_data");
        assertFailure(SAMPLE_KEY, "", SAMPLE_IV, DecryptionFailure.Reason.WRONG_SIZE, "encrypted_data");
        assertFailure(b64(random(32)), SAMPLE_DATA, SAMPLE_IV, DecryptionFailure.Reason.WRONG_SIZE, null);
    }

    private static void assertFailure(String key, String data, String iv, DecryptionFailure.Reason reason, String field) {
        assertThatThrownBy(() -> EncryptedDataDecryptor.decrypt(key, data, iv, SAMPLE_APPID, SAMPLE_TIME, null))
                .isInstanceOfSatisfying(DecryptionFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(reason);
                    assertThat(failure.field()).isEqualTo(field);
                });
    }

    static byte[] payload(String appid, long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("openId", "o" + HexFormat.of().formatHex(random(8)));
        body.put("nickName", "Band");
        body.put("watermark", Map.of("appid", appid, "timestamp", timestamp));
        return JSON.writeValueAsBytes(body);
    }

    static byte[] encrypt(String sessionKey, byte[] iv, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(sessionKey), "AES"),
                    new IvParameterSpec(iv));
            return cipher.doFinal(plaintext);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomKey() {
        return b64(random(16));
    }

    static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
