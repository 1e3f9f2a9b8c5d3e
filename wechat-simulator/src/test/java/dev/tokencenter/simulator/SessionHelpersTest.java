package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java helpers for tests of mini program services: encryptedData, current session_key, signature. */
class SessionHelpersTest extends SimulatorTestBase {

    @Test
    void encryptForSessionAddsTheWatermarkLastAndUsesTheDecodedSessionKey() throws Exception {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("phoneNumber", "13800138000");
        payload.put("countryCode", "86");
        EncryptedPayload encrypted = sim.encryptForSession(APPID, login.sessionKey(), payload);

        String plain = new String(SessionCrypto.decrypt(login.sessionKey(), encrypted.iv(), encrypted.encryptedData()),
                StandardCharsets.UTF_8);
        assertThat(plain).isEqualTo("{\"phoneNumber\":\"13800138000\",\"countryCode\":\"86\",\"watermark\":"
                + "{\"timestamp\":" + sim.clock().now().getEpochSecond() + ",\"appid\":\"" + APPID + "\"}}");
    }

    @Test
    void onlyAUsersCurrentSessionKeyEncrypts() {
        LoginCode first = sim.mintLoginCode(APPID, "openid-1", null);
        LoginCode second = sim.mintLoginCode(APPID, "openid-1", null);

        assertThatThrownBy(() -> sim.encryptForSession(APPID, first.sessionKey(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newer login")
                .hasMessageNotContaining(first.sessionKey());
        assertThatThrownBy(() -> sim.encryptForSession(OTHER_APPID, second.sessionKey(), Map.of()))
                .as("another app's user").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.encryptForSession(APPID, RandomIds.sessionKey(), Map.of()))
                .as("never issued").isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.encryptForSession(APPID, second.sessionKey(), Map.of()).iv()).isNotBlank();
    }

    @Test
    void encryptForUserUsesTheCurrentSessionKey() throws Exception {
        sim.mintLoginCode(APPID, "openid-1", null);
        LoginCode latest = sim.mintLoginCode(APPID, "openid-1", null);
        EncryptedPayload encrypted = sim.encryptForUser(APPID, "openid-1", Map.of("openId", "openid-1"));

        assertThat(Json.readObject(SessionCrypto.decrypt(latest.sessionKey(), encrypted.iv(),
                encrypted.encryptedData()))).containsEntry("openId", "openid-1").containsKey("watermark");
        assertThatThrownBy(() -> sim.encryptForUser(APPID, "never-logged-in", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void currentSessionKeyFollowsLogins() {
        assertThat(sim.currentSessionKey(APPID, "openid-1")).isEmpty();
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(sim.currentSessionKey(APPID, "openid-1")).contains(login.sessionKey());
        sim.reset();
        sim.registerApp(APPID, SECRET, Platform.WECHAT);
        assertThat(sim.currentSessionKey(APPID, "openid-1")).isEmpty();
    }
}
