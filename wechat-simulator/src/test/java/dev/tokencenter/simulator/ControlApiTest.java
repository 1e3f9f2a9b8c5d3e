package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlApiTest extends SimulatorTestBase {

    private static final String NEW_APPID = "wx1111111111111111";

    @Test
    void registerFetchFaultAndInspectOverHttp() {
        assertThat(client.post("/__sim/apps", Map.of("appid", NEW_APPID, "secret", "s1", "platform", "WECHAT"))
                .status()).isEqualTo(200);
        String token = client.classicToken(NEW_APPID, "s1").string("access_token");
        assertThat(token).isNotBlank();

        SimClient.Reply validity = client.get("/__sim/tokens/validity", "access_token", token);
        assertThat(validity.get("valid")).isEqualTo(true);
        assertThat(validity.string("appid")).isEqualTo(NEW_APPID);
        assertThat(validity.number("expires_at")).isEqualTo(sim.clock().now().getEpochSecond() + 20);

        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/token", "appid", NEW_APPID,
                "times", 1, "errcode", 45009)).status()).isEqualTo(200);
        assertThat(client.classicToken(NEW_APPID, "s1").errcode()).isEqualTo(45009);
        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/token", "times", 2, "http_status", 503))
                .status()).isEqualTo(200);
        assertThat(client.delete("/__sim/faults").status()).isEqualTo(200);
        assertThat(client.classicToken(NEW_APPID, "s1").status()).isEqualTo(200);

        assertThat(client.get("/__sim/counters").object(NEW_APPID)).containsEntry("/cgi-bin/token", 3);
        assertThat(client.get("/__sim/tokens-issued", "appid", NEW_APPID).number("issued")).isEqualTo(2);
        assertThat(client.delete("/__sim/counters").status()).isEqualTo(200);
        assertThat(client.get("/__sim/counters").json()).isEmpty();

        assertThat(client.put("/__sim/apps/" + NEW_APPID + "/secret", Map.of("secret", "s2")).status()).isEqualTo(200);
        assertThat(client.classicToken(NEW_APPID, "s1").errcode()).isEqualTo(40125);
        String latest = client.classicToken(NEW_APPID, "s2").string("access_token");

        assertThat(client.post("/__sim/tokens/invalidate", Map.of("access_token", latest)).get("invalidated"))
                .isEqualTo(true);
        assertThat(client.ticket(latest).errcode()).isEqualTo(40001);
    }

    @Test
    void latencyAndHangFaultsOverHttp() {
        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/token", "latency_ms", 50)).status())
                .isEqualTo(200);
        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/gettoken", "hang", true, "times", 3))
                .status()).isEqualTo(200);
        assertThat(client.classicToken(APPID, SECRET).status()).isEqualTo(200);
    }

    @Test
    void wecomRegistrationAndClockOverHttp() {
        client.post("/__sim/apps", Map.of("appid", CORPID, "secret", CORPSECRET, "platform", "WECOM"));
        String token = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        long before = client.get("/__sim/clock").number("now");
        SimClient.Reply advanced = client.post("/__sim/clock/advance", Map.of("seconds", 21));
        assertThat(advanced.number("now")).isEqualTo(before + 21);
        assertThat(client.get("/cgi-bin/get_jsapi_ticket", "access_token", token).errcode()).isEqualTo(42001);
    }

    @Test
    void miniProgramHelpersOverHttp() throws Exception {
        SimClient.Reply login = client.post("/__sim/login-codes", Map.of("appid", APPID, "openid", "o1",
                "unionid", "u1"));
        String code = login.string("code");
        String sessionKey = login.string("session_key");
        SimClient.Reply session = client.get("/sns/jscode2session", "appid", APPID, "secret", SECRET,
                "js_code", code, "grant_type", "authorization_code");
        assertThat(session.string("session_key")).isEqualTo(sessionKey);
        assertThat(session.string("unionid")).isEqualTo("u1");

        Map<String, Object> phone = new LinkedHashMap<>();
        phone.put("appid", APPID);
        phone.put("phone_number", "13800138000");
        phone.put("pure_phone_number", "13800138000");
        phone.put("country_code", "86");
        String phoneCode = client.post("/__sim/phone-codes", phone).string("code");
        String token = client.stableToken(APPID, SECRET, false).string("access_token");
        assertThat(client.post("/wxa/business/getuserphonenumber", Map.of("code", phoneCode), "access_token", token)
                .object("phone_info")).containsEntry("purePhoneNumber", "13800138000");

        SimClient.Reply encrypted = client.post("/__sim/encrypted-data", Map.of("appid", APPID,
                "session_key", sessionKey, "payload", Map.of("nickName", "Band")));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(sessionKey), "AES"),
                new javax.crypto.spec.IvParameterSpec(java.util.Base64.getDecoder().decode(encrypted.string("iv"))));
        Map<String, Object> plain = Json.readObject(cipher.doFinal(
                java.util.Base64.getDecoder().decode(encrypted.string("encrypted_data"))));
        assertThat(plain).containsEntry("nickName", "Band").containsKey("watermark");
    }

    @Test
    void sessionsHighRiskUsersAndEncryptionForAUserOverHttp() throws Exception {
        String code = client.post("/__sim/login-codes", Map.of("appid", APPID, "openid", "o1")).string("code");
        SimClient.Reply session = client.get("/__sim/sessions", "appid", APPID, "openid", "o1");
        String sessionKey = session.string("session_key");
        assertThat(sessionKey).isEqualTo(sim.currentSessionKey(APPID, "o1").orElseThrow());
        assertThat(client.get("/__sim/sessions", "appid", APPID, "openid", "nobody").json())
                .containsEntry("session_key", null);

        SimClient.Reply marked = client.post("/__sim/high-risk-users", Map.of("appid", APPID, "openid", "o1"));
        assertThat(marked.get("high_risk")).isEqualTo(true);
        assertThat(client.jscode2session(APPID, SECRET, code).errcode()).isEqualTo(40226);
        SimClient.Reply cleared = client.delete("/__sim/high-risk-users?appid=" + APPID + "&openid=o1");
        assertThat(cleared.get("was_high_risk")).isEqualTo(true);
        assertThat(client.jscode2session(APPID, SECRET, code).string("session_key")).isEqualTo(sessionKey);

        SimClient.Reply encrypted = client.post("/__sim/encrypted-data", Map.of("appid", APPID, "openid", "o1",
                "payload", Map.of("openId", "o1")));
        assertThat(Json.readObject(SessionCrypto.decrypt(sessionKey, encrypted.string("iv"),
                encrypted.string("encrypted_data")))).containsEntry("openId", "o1");

        client.post("/__sim/login-codes", Map.of("appid", APPID, "openid", "o1"));
        SimClient.Reply stale = client.post("/__sim/encrypted-data", Map.of("appid", APPID, "session_key", sessionKey));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.string("error")).contains("newer login");
        assertThat(client.post("/__sim/encrypted-data", Map.of("appid", APPID)).status()).isEqualTo(400);
        assertThat(client.post("/__sim/high-risk-users", Map.of("appid", APPID)).status()).isEqualTo(400);
        assertThat(client.delete("/__sim/high-risk-users").status()).isEqualTo(400);
        assertThat(client.get("/__sim/sessions", "appid", APPID).status()).isEqualTo(400);
        assertThat(client.put("/__sim/sessions", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void ticketValidityOverHttp() {
        String ticket = client.ticket(client.stableToken(APPID, SECRET, false).string("access_token")).string("ticket");
        SimClient.Reply validity = client.get("/__sim/tickets/validity", "ticket", ticket);
        assertThat(validity.get("valid")).isEqualTo(true);
        assertThat(validity.string("appid")).isEqualTo(APPID);
        assertThat(validity.string("type")).isEqualTo("jsapi");
        assertThat(validity.number("expires_at")).isEqualTo(sim.clock().now().getEpochSecond() + 20);
        assertThat(client.get("/__sim/tickets/validity", "ticket", "nope").get("valid")).isEqualTo(false);
        assertThat(client.get("/__sim/tickets/validity").status()).isEqualTo(400);
    }

    @Test
    void resetOverHttp() {
        client.classicToken(APPID, SECRET);
        assertThat(client.post("/__sim/reset", Map.of()).status()).isEqualTo(200);
        assertThat(client.classicToken(APPID, SECRET).errcode()).isEqualTo(40013);
        assertThat(client.get("/__sim/tokens-issued", "appid", APPID).number("issued")).isZero();
    }

    @Test
    void badInputAnswers400WithAnError() {
        SimClient.Reply missing = client.post("/__sim/apps", Map.of("appid", NEW_APPID));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.string("error")).contains("secret");
        assertThat(client.post("/__sim/apps", Map.of("appid", NEW_APPID, "secret", "s", "platform", "QQ")).status())
                .isEqualTo(400);
        assertThat(client.post("/__sim/apps", "{not json").status()).isEqualTo(400);
        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/token")).status()).isEqualTo(400);
        assertThat(client.post("/__sim/faults", Map.of("endpoint", "/cgi-bin/token", "errcode", "x")).status())
                .isEqualTo(400);
        assertThat(client.post("/__sim/login-codes", Map.of("appid", NEW_APPID, "openid", "o")).status())
                .as("unknown app").isEqualTo(400);
        assertThat(client.post("/__sim/clock/advance", Map.of("seconds", -5)).status()).isEqualTo(400);
        assertThat(client.get("/__sim/tokens/validity").status()).isEqualTo(400);
        assertThat(client.put("/__sim/apps/" + NEW_APPID + "/secret", Map.of("secret", "x")).status()).isEqualTo(400);
        assertThat(client.get("/__sim/nope").status()).isEqualTo(404);
        assertThat(client.get("/__sim/reset").status()).isEqualTo(405);
        assertThat(client.get("/__sim/health").string("status")).isEqualTo("UP");
        assertThat(client.get("/__sim/settings").number("token_lifetime_seconds")).isEqualTo(20);
    }
}
