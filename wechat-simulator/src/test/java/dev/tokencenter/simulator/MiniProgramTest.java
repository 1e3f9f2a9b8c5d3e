package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MiniProgramTest extends SimulatorTestBase {

    private SimClient.Reply exchange(String appid, String secret, String code) {
        return client.get("/sns/jscode2session", "appid", appid, "secret", secret, "js_code", code,
                "grant_type", "authorization_code");
    }

    private String token() {
        return client.stableToken(APPID, SECRET, false).string("access_token");
    }

    @Test
    void jscode2sessionReturnsTheUserAndSessionKeyLabelledTextPlain() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", "unionid-1");
        SimClient.Reply reply = exchange(APPID, SECRET, login.code());

        assertThat(reply.contentType()).startsWith("text/plain");
        assertThat(reply.string("openid")).isEqualTo("openid-1");
        assertThat(reply.string("unionid")).isEqualTo("unionid-1");
        assertThat(reply.string("session_key")).isEqualTo(login.sessionKey()).hasSize(24);
        assertThat(Base64.getDecoder().decode(login.sessionKey())).hasSize(16);

        LoginCode noUnion = sim.mintLoginCode(APPID, "openid-2", null);
        assertThat(exchange(APPID, SECRET, noUnion.code()).json()).containsOnlyKeys("session_key", "openid");
    }

    @Test
    void loginCodeIsSingleUse() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isZero();
        SimClient.Reply reused = exchange(APPID, SECRET, login.code());
        assertThat(reused.errcode()).isEqualTo(40163);
        assertThat(reused.string("errmsg")).startsWith("code been used");
    }

    @Test
    void loginCodeExpiresAfterItsLifetime() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        advance(301);
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isEqualTo(40029);
    }

    @Test
    void loginCodeErrors() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(exchange(OTHER_APPID, OTHER_SECRET, login.code()).errcode()).as("another app's code").isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, "0a3Xkr000Hd0dU1HlA200lvXJJ3Xkr0P").errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, "wrong", login.code()).errcode()).isEqualTo(40125);
        assertThat(exchange("wx9999999999999999", SECRET, login.code()).errcode()).isEqualTo(40013);
        assertThat(client.get("/sns/jscode2session", "appid", APPID, "secret", SECRET, "js_code", login.code(),
                "grant_type", "client_credential").errcode()).isEqualTo(40002);
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).as("failed attempts did not use the code").isZero();
    }

    @Test
    void phoneNumberCodeIsSingleUseAndCarriesAWatermark() {
        String code = sim.mintPhoneCode(APPID, "+86 13800138000", "13800138000", "86");
        String token = token();
        SimClient.Reply reply = client.post("/wxa/business/getuserphonenumber", Map.of("code", code),
                "access_token", token);

        assertThat(reply.errcode()).isZero();
        Map<String, Object> info = reply.object("phone_info");
        assertThat(info).containsEntry("phoneNumber", "+86 13800138000").containsEntry("purePhoneNumber", "13800138000")
                .containsEntry("countryCode", "86");
        @SuppressWarnings("unchecked")
        Map<String, Object> watermark = (Map<String, Object>) info.get("watermark");
        assertThat(watermark).containsEntry("appid", APPID);
        assertThat(((Number) watermark.get("timestamp")).longValue()).isEqualTo(sim.clock().now().getEpochSecond());

        assertThat(client.post("/wxa/business/getuserphonenumber", Map.of("code", code), "access_token", token)
                .errcode()).isEqualTo(40163);
    }

    @Test
    void phoneNumberCodeExpiresAndBelongsToOneApp() {
        String token = token();
        String otherToken = client.stableToken(OTHER_APPID, OTHER_SECRET, false).string("access_token");
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        assertThat(client.post("/wxa/business/getuserphonenumber", Map.of("code", code), "access_token", otherToken)
                .errcode()).isEqualTo(40029);
        advance(301);
        assertThat(client.post("/wxa/business/getuserphonenumber", Map.of("code", code), "access_token", token())
                .errcode()).isEqualTo(40029);
        assertThat(client.post("/wxa/business/getuserphonenumber", Map.of("code", "x")).errcode()).isEqualTo(41001);
        assertThat(token).isNotBlank();
    }

    @Test
    void encryptedDataDecryptsWithTheDecodedSessionKeyToThePayloadPlusWatermark() throws Exception {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("phoneNumber", "13800138000");
        payload.put("countryCode", "86");
        EncryptedPayload encrypted = sim.encryptForSession(APPID, login.sessionKey(), payload);

        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(login.sessionKey()), "AES"),
                new IvParameterSpec(Base64.getDecoder().decode(encrypted.iv())));
        byte[] plain = cipher.doFinal(Base64.getDecoder().decode(encrypted.encryptedData()));
        Map<String, Object> decoded = Json.readObject(plain);

        assertThat(decoded).containsEntry("phoneNumber", "13800138000").containsEntry("countryCode", "86");
        @SuppressWarnings("unchecked")
        Map<String, Object> watermark = (Map<String, Object>) decoded.get("watermark");
        assertThat(watermark).containsEntry("appid", APPID).containsKey("timestamp");
        assertThat(Base64.getDecoder().decode(encrypted.iv())).hasSize(16);

        String staleKey = sim.mintLoginCode(APPID, "openid-1", null).sessionKey();
        Cipher wrong = Cipher.getInstance("AES/CBC/PKCS5Padding");
        wrong.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(staleKey), "AES"),
                new IvParameterSpec(Base64.getDecoder().decode(encrypted.iv())));
        assertThatThrownBy(() -> Json.readObject(wrong.doFinal(Base64.getDecoder().decode(encrypted.encryptedData()))))
                .isInstanceOfAny(BadPaddingException.class, Json.BadJson.class);
    }

    @Test
    void checkSessionAcceptsTheSignatureKeyedWithTheSessionKeyText() throws Exception {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        String token = token();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(login.sessionKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(new byte[0]));
        assertThat(WechatSimulator.sessionSignature(login.sessionKey())).isEqualTo(signature);

        assertThat(checkSession(token, "openid-1", signature).errcode()).isZero();

        mac.init(new SecretKeySpec(Base64.getDecoder().decode(login.sessionKey()), "HmacSHA256"));
        String decodedKeyForm = HexFormat.of().formatHex(mac.doFinal(new byte[0]));
        SimClient.Reply wrong = checkSession(token, "openid-1", decodedKeyForm);
        assertThat(wrong.errcode()).isEqualTo(87009);
        assertThat(wrong.string("errmsg")).startsWith("invalid signature");

        sim.mintLoginCode(APPID, "openid-1", null); // a new login replaces the session_key
        assertThat(checkSession(token, "openid-1", signature).errcode()).isEqualTo(87009);
        assertThat(checkSession(token, "someone-else", signature).errcode()).isEqualTo(87009);
    }

    @Test
    void loginStateSignatureReproducesTheDocumentationExample() {
        assertThat(SessionCrypto.loginStateSignature("o0q0otL8aEzpcZL/FT9WsQ==", "{\"foo\":\"bar\"}"))
                .isEqualTo("654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b");
    }

    private SimClient.Reply checkSession(String token, String openid, String signature) {
        return client.get("/wxa/checksession", "access_token", token, "openid", openid, "signature", signature,
                "sig_method", "hmac_sha256");
    }
}
