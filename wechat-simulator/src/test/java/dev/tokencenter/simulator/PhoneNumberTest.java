package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /wxa/business/getuserphonenumber}. */
class PhoneNumberTest extends SimulatorTestBase {

    private static final String PATH = MiniProgramEndpoints.PHONE_NUMBER;

    @Test
    void answersExactlyWechatsShapeWithAWatermark() {
        String code = sim.mintPhoneCode(APPID, "+86 13800138000", "13800138000", "86");
        SimClient.Reply reply = client.phoneNumber(stableToken(APPID, SECRET), code);

        assertThat(reply.json()).containsOnlyKeys("errcode", "errmsg", "phone_info");
        assertThat(reply.errcode()).isZero();
        assertThat(reply.string("errmsg")).isEqualTo("ok");
        Map<String, Object> info = reply.object("phone_info");
        assertThat(info).containsOnlyKeys("phoneNumber", "purePhoneNumber", "countryCode", "watermark")
                .containsEntry("phoneNumber", "+86 13800138000").containsEntry("purePhoneNumber", "13800138000")
                .containsEntry("countryCode", "86");
        assertThat(reply.text()).as("documented as a string").contains("\"countryCode\":\"86\"");
        @SuppressWarnings("unchecked")
        Map<String, Object> watermark = (Map<String, Object>) info.get("watermark");
        assertThat(watermark).containsOnlyKeys("timestamp", "appid").containsEntry("appid", APPID);
        assertThat(((Number) watermark.get("timestamp")).longValue()).isEqualTo(sim.clock().now().getEpochSecond());
    }

    @Test
    void countryCodeCanBeSentAsANumberLikeWechatsExamples() {
        restartWith(settings().withPhoneCountryCodeAsNumber(true));
        String code = sim.mintPhoneCode(APPID, "+1 2025550123", "2025550123", "1");
        SimClient.Reply reply = client.phoneNumber(stableToken(APPID, SECRET), code);
        assertThat(reply.text()).contains("\"countryCode\":1,");
        assertThat(reply.object("phone_info")).containsEntry("countryCode", 1);
        assertThat(client.get("/__sim/settings").get("phone_country_code_as_number")).isEqualTo(true);
        assertThatThrownBy(() -> sim.mintPhoneCode(APPID, "13800138000", "13800138000", "+86"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeIsSingleUseAndValidFiveMinutes() {
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        String late = sim.mintPhoneCode(APPID, "13800138001", "13800138001", "86");
        advance(299);
        String token = stableToken(APPID, SECRET);
        assertThat(client.phoneNumber(token, code).errcode()).isZero();
        SimClient.Reply reused = client.phoneNumber(token, code);
        assertThat(reused.errcode()).isEqualTo(40029);
        assertThat(reused.string("errmsg")).startsWith("invalid code").matches(RID_SUFFIX);
        advance(1);
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), late).errcode()).isEqualTo(40029);
    }

    @Test
    void aCodeOfAnotherAppAnswers40013AndStaysUsable() {
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        SimClient.Reply foreign = client.phoneNumber(stableToken(OTHER_APPID, OTHER_SECRET), code);
        assertThat(foreign.errcode()).isEqualTo(40013);
        assertThat(foreign.string("errmsg")).startsWith("invalid appid");
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), code).errcode()).isZero();
    }

    @Test
    void aLoginCodePassedByMistakeIsAnInvalidCode() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), login.code()).errcode()).isEqualTo(40029);
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), "whatever").errcode()).isEqualTo(40029);
        assertThat(client.jscode2session(APPID, SECRET, login.code()).errcode()).as("still a good login code").isZero();
    }

    @Test
    void tokenMethodAndBodyErrors() {
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        String token = stableToken(APPID, SECRET);
        assertThat(client.post(PATH, Map.of("code", code)).errcode()).isEqualTo(41001);
        assertThat(client.phoneNumber("not-a-token", code).errcode()).isEqualTo(40001);
        String classic = client.classicToken(APPID, SECRET).string("access_token");
        sim.invalidateToken(classic);
        assertThat(client.phoneNumber(classic, code).errcode()).isEqualTo(40001);
        assertThat(client.get(PATH, "access_token", token).errcode()).isEqualTo(43002);
        assertThat(client.post(PATH, "{not json", "access_token", token).errcode()).isEqualTo(47001);
        assertThat(client.post(PATH, Map.of("openid", "o1"), "access_token", token).errcode()).isEqualTo(41008);
        advance(20);
        assertThat(client.phoneNumber(token, code).errcode()).as("expired token").isEqualTo(42001);
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), code).errcode()).as("no failure used the code")
                .isZero();
    }

    @Test
    void theOptionalOpenidIsAccepted() {
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        assertThat(client.post(PATH, Map.of("code", code, "openid", "openid-1"), "access_token",
                stableToken(APPID, SECRET)).object("phone_info")).containsEntry("purePhoneNumber", "13800138000");
    }

    @Test
    void callsOverTheMinuteQuotaAnswer45011() {
        restartWith(settings().withPhoneNumberMinuteQuota(2));
        String token = stableToken(APPID, SECRET);
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        assertThat(client.phoneNumber(token, "bad").errcode()).isEqualTo(40029);
        assertThat(client.phoneNumber(token, "bad").errcode()).isEqualTo(40029);
        SimClient.Reply limited = client.phoneNumber(token, code);
        assertThat(limited.errcode()).isEqualTo(45011);
        assertThat(limited.string("errmsg")).matches(RID_SUFFIX);
        assertThat(client.phoneNumber(stableToken(OTHER_APPID, OTHER_SECRET), "bad").errcode())
                .as("per app").isEqualTo(40029);
        advance(60);
        assertThat(client.phoneNumber(stableToken(APPID, SECRET), code).errcode()).isZero();
    }

    @Test
    void systemBusyComesFromAFaultAndLeavesTheCodeUnused() {
        String code = sim.mintPhoneCode(APPID, "13800138000", "13800138000", "86");
        String token = stableToken(APPID, SECRET);
        sim.injectFault(Fault.errcode(PATH, APPID, -1, 1));
        SimClient.Reply busy = client.phoneNumber(token, code);
        assertThat(busy.errcode()).isEqualTo(-1);
        assertThat(busy.string("errmsg")).matches(RID_SUFFIX);
        assertThat(client.phoneNumber(token, code).errcode()).isZero();
    }
}
