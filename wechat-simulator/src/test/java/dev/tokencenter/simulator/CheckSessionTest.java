package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@code GET /wxa/checksession}. */
class CheckSessionTest extends SimulatorTestBase {

    @Test
    void acceptsTheSignatureKeyedWithTheSessionKeyText() throws Exception {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        String token = stableToken(APPID, SECRET);
        String signature = hmacSha256Hex(login.sessionKey().getBytes(StandardCharsets.UTF_8));
        assertThat(WechatSimulator.sessionSignature(login.sessionKey())).isEqualTo(signature);

        SimClient.Reply ok = client.checkSession(token, "openid-1", signature);
        assertThat(ok.text()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");

        SimClient.Reply decodedKeyForm = client.checkSession(token, "openid-1",
                hmacSha256Hex(Base64.getDecoder().decode(login.sessionKey())));
        assertThat(decodedKeyForm.errcode()).isEqualTo(87009);
        assertThat(decodedKeyForm.string("errmsg")).startsWith("invalid signature").matches(RID_SUFFIX);
        assertThat(client.checkSession(token, "openid-1", signature.toUpperCase(Locale.ROOT)).errcode())
                .as("lower-case hex only").isEqualTo(87009);
    }

    @Test
    void onlyTheCurrentSessionKeyPasses() {
        LoginCode first = sim.mintLoginCode(APPID, "openid-1", null);
        String token = stableToken(APPID, SECRET);
        String signature = WechatSimulator.sessionSignature(first.sessionKey());
        assertThat(client.checkSession(token, "openid-1", signature).errcode()).isZero();

        LoginCode second = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(client.checkSession(token, "openid-1", signature).errcode()).isEqualTo(87009);
        assertThat(client.checkSession(token, "openid-1", WechatSimulator.sessionSignature(second.sessionKey()))
                .errcode()).isZero();
        assertThat(client.checkSession(token, "someone-else", signature).errcode()).as("never logged in")
                .isEqualTo(87009);
        String otherToken = stableToken(OTHER_APPID, OTHER_SECRET);
        assertThat(client.checkSession(otherToken, "openid-1", WechatSimulator.sessionSignature(second.sessionKey()))
                .errcode()).as("another app's user").isEqualTo(87009);
    }

    @Test
    void tokenAndParameterErrors() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        String signature = WechatSimulator.sessionSignature(login.sessionKey());
        String token = stableToken(APPID, SECRET);
        assertThat(client.get("/wxa/checksession", "openid", "openid-1", "signature", signature,
                "sig_method", "hmac_sha256").errcode()).isEqualTo(41001);
        assertThat(client.checkSession("not-a-token", "openid-1", signature).errcode()).isEqualTo(40001);
        assertThat(client.get("/wxa/checksession", "access_token", token, "signature", signature,
                "sig_method", "hmac_sha256").errcode()).isEqualTo(40003);
        assertThat(client.get("/wxa/checksession", "access_token", token, "openid", "openid-1",
                "signature", signature).errcode()).as("sig_method missing").isEqualTo(40097);
        assertThat(client.get("/wxa/checksession", "access_token", token, "openid", "openid-1",
                "signature", signature, "sig_method", "hmac_sha1").errcode()).isEqualTo(40097);
        assertThat(client.get("/wxa/checksession", "access_token", token, "openid", "openid-1",
                "sig_method", "hmac_sha256").errcode()).as("signature missing").isEqualTo(87009);
        advance(20);
        assertThat(client.checkSession(token, "openid-1", signature).errcode()).isEqualTo(42001);
        assertThat(client.checkSession(stableToken(APPID, SECRET), "openid-1", signature).errcode()).isZero();
    }

    private static String hmacSha256Hex(byte[] key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(new byte[0]));
    }
}
