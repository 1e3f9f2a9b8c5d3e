package dev.tokencenter.miniprogram;

import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.miniprogram.MiniProgramApi.Answer;
import dev.tokencenter.simulator.EncryptedPayload;
import dev.tokencenter.simulator.LoginCode;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.LeakSearch;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With verbose logging on, a user logs in (twice, once with a used code), has data decrypted, the session checked,
 * the phone number read and logs out, and every kind of failure happens once (made-up and blocked logins, tampered
 * and foreign data, used and made-up phone codes): no login or phone code, session_key, phone number, decrypted value or AppSecret
 * is in any log line, PostgreSQL column, Redis key or value, or pub/sub message; the openid is in no Redis key or
 * value and no column.
 */
@IntegrationTest
class MiniProgramLeakTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    RedissonClient redisson;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void noCodeKeyNumberOrUserDataIsStoredOrLoggedAnywhere() {
        TokenApiFixture fixture = new TokenApiFixture(context);
        MiniProgramApi api = new MiniProgramApi(TokenApiFixture.http(context));
        WechatSimulator simulator = TestInfrastructure.get().simulator();
        String tenant = fixture.tenant();
        Credential mini = fixture.wechat(tenant, "mini", "prod");
        CreatedClient client = fixture.client(tenant, "mini/prod:session,phone-number");
        String openid = "o" + TokenApiFixture.hex(12);
        String unionid = "u" + TokenApiFixture.hex(12);
        String nickName = "nick-" + TokenApiFixture.hex(8);
        String phoneNumber = "139" + (10_000_000 + (long) (Math.random() * 89_999_999));
        List<String> never = new ArrayList<>(List.of(mini.secret(), nickName, phoneNumber));

        Answer session;
        try (LeakSearch.Logs logs = LeakSearch.Logs.captureVerbose();
             LeakSearch.Messages messages = LeakSearch.Messages.listen(redisson)) {
            api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, unionid).code()).expect(201);
            LoginCode login = simulator.mintLoginCode(mini.appid(), openid, unionid);
            session = api.login(mini, client.key(), login.code()).expect(201);
            api.login(mini, client.key(), login.code()).problem(400, "login-code-used");
            never.addAll(List.of(login.code(), login.sessionKey()));
            String id = session.text("session_id");
            EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", nickName));
            assertThat(api.decrypt(mini, client.key(), id, data.encryptedData(), data.iv()).expect(200)
                    .text("nickName")).isEqualTo(nickName);
            api.check(mini, client.key(), id).expect(200);
            String phoneCode = simulator.mintPhoneCode(mini.appid(), phoneNumber, phoneNumber, "86");
            never.add(phoneCode);
            assertThat(api.phoneNumber(mini, client.key(), phoneCode).expect(200).text("phone_number"))
                    .isEqualTo(phoneNumber);

            failurePaths(api, simulator, mini, client, id, openid, never);

            Map<String, String> redis = LeakSearch.redisContents(redisson);
            Map<String, List<String>> database = LeakSearch.databaseContents(jdbc);
            assertThat(redis).containsKey(RedisSessionStore.SESSION_PREFIX + id);
            for (String value : never) {
                assertThat(logs.linesContaining(value)).as("log lines").isEmpty();
                assertThat(LeakSearch.redisEntriesContaining(redis, value)).as("Redis entries").isEmpty();
                assertThat(LeakSearch.columnsContaining(database, value)).as("columns").isEmpty();
                assertThat(messages.containing(value)).as("pub/sub messages").isEmpty();
            }
            for (String user : List.of(openid, unionid)) {
                assertThat(LeakSearch.redisEntriesContaining(redis, user)).as("Redis entries naming the user").isEmpty();
                assertThat(LeakSearch.columnsContaining(database, user)).as("columns naming the user").isEmpty();
            }
            api.logout(mini, client.key(), id).expect(204);
            assertThat(logs.size()).as("verbose logging was captured").isGreaterThan(50);
        }
    }

    /** Every kind of failure, each with values of its own that must not turn up anywhere either. */
    private static void failurePaths(MiniProgramApi api, WechatSimulator simulator, Credential mini, CreatedClient client,
                                     String session, String openid, List<String> never) {
        String madeUp = "made-up-" + TokenApiFixture.hex(10);
        api.login(mini, client.key(), madeUp).problem(400, "invalid-login-code");
        String blockedUser = "o" + TokenApiFixture.hex(12);
        LoginCode blocked = simulator.mintLoginCode(mini.appid(), blockedUser, null);
        simulator.markHighRiskUser(mini.appid(), blockedUser);
        api.login(mini, client.key(), blocked.code()).problem(403, "user-blocked");
        never.addAll(List.of(madeUp, blocked.code(), blocked.sessionKey()));

        String secretField = "secret-" + TokenApiFixture.hex(8);
        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", secretField));
        byte[] tampered = Base64.getDecoder().decode(data.encryptedData());
        tampered[tampered.length - 1] ^= 0x01;
        api.decrypt(mini, client.key(), session, Base64.getEncoder().encodeToString(tampered), data.iv())
                .problem(400, "stale-session-key");
        String foreignField = "foreign-" + TokenApiFixture.hex(8);
        EncryptedPayload foreign = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", foreignField,
                "watermark", Map.of("appid", "wx0000000000000000", "timestamp", Instant.now().getEpochSecond())));
        api.decrypt(mini, client.key(), session, foreign.encryptedData(), foreign.iv()).problem(400, "foreign-watermark");
        never.addAll(List.of(secretField, foreignField));

        String usedNumber = "137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        String usedCode = simulator.mintPhoneCode(mini.appid(), usedNumber, usedNumber, "86");
        api.phoneNumber(mini, client.key(), usedCode).expect(200);
        api.phoneNumber(mini, client.key(), usedCode).problem(400, "invalid-phone-code");
        String madeUpPhoneCode = "phone-" + TokenApiFixture.hex(10);
        api.phoneNumber(mini, client.key(), madeUpPhoneCode).problem(400, "invalid-phone-code");
        never.addAll(List.of(usedNumber, usedCode, madeUpPhoneCode));
    }
}
