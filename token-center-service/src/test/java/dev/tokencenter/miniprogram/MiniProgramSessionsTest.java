package dev.tokencenter.miniprogram;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.miniprogram.MiniProgramApi.Answer;
import dev.tokencenter.simulator.EncryptedPayload;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.LoginCode;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Login, decryption, session checks and logout over HTTP against the simulator, with every problem they answer. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class MiniProgramSessionsTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    RedissonClient redisson;

    @Autowired
    ClientCallCounter calls;

    TokenApiFixture fixture;
    MiniProgramApi api;
    WechatSimulator simulator;
    String tenant;
    Credential mini;
    CreatedClient client;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        api = new MiniProgramApi(TokenApiFixture.http(context));
        simulator = TestInfrastructure.get().simulator();
        tenant = fixture.tenant();
        mini = fixture.wechat(tenant, "mini", "prod");
        client = fixture.client(tenant, "mini/*:session");
    }

    @Test
    void aUserLogsInDecryptsChecksAndLogsOutAndNoSecretIsStoredOrLoggedInClear(CapturedOutput output) {
        String openid = "o" + TokenApiFixture.hex(10);
        LoginCode login = simulator.mintLoginCode(mini.appid(), openid, "u-" + openid);

        Answer created = api.login(mini, client.key(), login.code()).expect(201);

        String session = created.text("session_id");
        assertThat(session).matches("[A-Za-z0-9_-]{43}");
        assertThat(created.text("openid")).isEqualTo(openid);
        assertThat(created.text("unionid")).isEqualTo("u-" + openid);
        assertThat(Duration.between(Instant.now(), Instant.parse(created.text("expires_at"))))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
        assertThat(created.headers().getLocation().getPath()).isEqualTo(MiniProgramApi.base(mini) + "/sessions/" + session);
        assertThat(created.raw()).doesNotContain(login.sessionKey()).doesNotContain(mini.secret());

        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band", "gender", 1));
        Answer decrypted = api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).expect(200);
        assertThat(decrypted.json().isObject()).isTrue();
        assertThat(decrypted.text("nickName")).isEqualTo("Band");
        assertThat(decrypted.json().path("watermark").path("appid").asString()).isEqualTo(mini.appid());

        Answer checked = api.check(mini, client.key(), session).expect(200);
        assertThat(checked.text("session_id")).isEqualTo(session);
        assertThat(checked.text("openid")).isEqualTo(openid);

        List<String> keys = redisKeys();
        assertThat(keys).contains(RedisSessionStore.SESSION_PREFIX + session);
        assertThat(keys).noneMatch(key -> key.contains(openid));
        String stored = redisson.<String>getBucket(RedisSessionStore.SESSION_PREFIX + session, StringCodec.INSTANCE).get();
        assertThat(stored).doesNotContain(openid).doesNotContain(login.sessionKey())
                .doesNotContain(Base64.getEncoder().encodeToString(login.sessionKey().getBytes()));
        long ttl = redisson.getBucket(RedisSessionStore.SESSION_PREFIX + session).remainTimeToLive();
        assertThat(Duration.ofMillis(ttl)).isBetween(Duration.ofHours(23), Duration.ofHours(24));

        api.logout(mini, client.key(), session).expect(204);
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        api.logout(mini, client.key(), session).problem(404, "unknown-session");
        assertThat(redisKeys()).doesNotContain(RedisSessionStore.SESSION_PREFIX + session);

        calls.flush();
        String field = mini.key() + "|" + client.clientId() + "|";
        assertThat(calls.allTime()).containsEntry(field + "sessions.create", 1L)
                .containsEntry(field + "sessions.decrypt", 1L).containsEntry(field + "sessions.check", 1L)
                .containsEntry(field + "sessions.delete", 1L);
        assertThat(output.getAll()).doesNotContain(login.code()).doesNotContain(login.sessionKey())
                .doesNotContain(mini.secret()).doesNotContain("Band");
    }

    @Test
    void aSecondLoginOfTheUserReplacesTheFirstSession() {
        String openid = "o" + TokenApiFixture.hex(10);
        String first = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201).text("session_id");
        Answer second = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201);
        assertThat(second.json().has("unionid")).isFalse();

        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));
        api.decrypt(mini, client.key(), first, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        api.check(mini, client.key(), first).problem(404, "unknown-session");
        api.decrypt(mini, client.key(), second.text("session_id"), data.encryptedData(), data.iv()).expect(200);
        assertThat(redisKeys()).doesNotContain(RedisSessionStore.SESSION_PREFIX + first);
    }

    @Test
    void aCodeIsSentAsReceivedAndWechatsRefusalsAreDistinctProblemsWithTheirErrcode(CapturedOutput output) {
        String openid = "o" + TokenApiFixture.hex(10);
        LoginCode login = simulator.mintLoginCode(mini.appid(), openid, null);
        api.login(mini, client.key(), login.code()).expect(201);
        assertThat(api.login(mini, client.key(), login.code()).problem(400, "login-code-used")
                .json().path("errcode").asInt()).isEqualTo(40163);
        // a code that differs by a trailing space is another code: nothing is trimmed
        assertThat(api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code() + " ")
                .problem(400, "invalid-login-code").json().path("errcode").asInt()).isEqualTo(40029);
        api.login(mini, client.key(), "a+b/c=d%2Be f").problem(400, "invalid-login-code");

        simulator.markHighRiskUser(mini.appid(), openid);
        try {
            assertThat(api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                    .problem(403, "user-blocked").json().path("errcode").asInt()).isEqualTo(40226);
        } finally {
            simulator.clearHighRiskUser(mini.appid(), openid);
        }

        simulator.injectFault(Fault.errcode("/sns/jscode2session", mini.appid(), 45011, 1));
        Answer limited = api.login(mini, client.key(), "any").problem(429, "wechat-rate-limited");
        assertThat(Long.parseLong(limited.headers().getFirst("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.json().path("errcode").asInt()).isEqualTo(45011);

        simulator.injectFault(Fault.errcode("/sns/jscode2session", mini.appid(), -1, 1));
        assertThat(api.login(mini, client.key(), "any").problem(503, "wechat-unavailable")
                .headers().getFirst("Retry-After")).isEqualTo("1");
        simulator.injectFault(Fault.httpStatus("/sns/jscode2session", mini.appid(), 502, 1));
        api.login(mini, client.key(), "any").problem(503, "wechat-unavailable");

        Credential wrongSecret = fixture.wechatWithWrongSecret(tenant, "mini", "test");
        String code = "never-logged-" + TokenApiFixture.hex(6);
        Answer refused = api.login(wrongSecret, client.key(), code).problem(502, "wechat-error");
        assertThat(refused.json().path("errcode").asInt()).isEqualTo(40125);
        assertThat(refused.raw()).doesNotContain(code).doesNotContain(wrongSecret.secret());
        // the refusal is logged for the operator, without the code or the secret
        assertThat(output.getAll()).contains(wrongSecret.key() + ": /sns/jscode2session answered errcode 40125")
                .doesNotContain(code).doesNotContain(login.code()).doesNotContain(wrongSecret.secret());
    }

    @Test
    void aLoginWithoutAnAnswerInTimeIsA503() {
        simulator.injectFault(Fault.hang("/sns/jscode2session", mini.appid(), 1));
        long started = System.nanoTime();
        api.login(mini, client.key(), "any").problem(503, "wechat-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void dataThatDoesNotOpenUnderTheSessionIsADistinctProblemEach() {
        String openid = "o" + TokenApiFixture.hex(10);
        String session = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201).text("session_id");
        String sessionKey = simulator.currentSessionKey(mini.appid(), openid).orElseThrow();
        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));

        byte[] tampered = Base64.getDecoder().decode(data.encryptedData());
        // flips the last padding byte (CBC: a bit of the block before flips that bit of the last block), so the padding
        // never checks out; a flip in the last block itself leaves valid padding about once in 256 runs
        tampered[tampered.length - 17] ^= 0x01;
        api.decrypt(mini, client.key(), session, Base64.getEncoder().encodeToString(tampered), data.iv())
                .problem(400, "stale-session-key");
        EncryptedPayload foreign = simulator.encryptForUser(mini.appid(), openid,
                Map.of("watermark", Map.of("appid", "wx0000000000000000", "timestamp", Instant.now().getEpochSecond())));
        api.decrypt(mini, client.key(), session, foreign.encryptedData(), foreign.iv()).problem(400, "foreign-watermark");
        byte[] iv = EncryptedDataDecryptorTest.random(16);
        byte[] array = EncryptedDataDecryptorTest.encrypt(sessionKey, iv, "[1,2,3]".getBytes());
        api.decrypt(mini, client.key(), session, EncryptedDataDecryptorTest.b64(array), EncryptedDataDecryptorTest.b64(iv))
                .problem(400, "decrypted-data-not-json");
        JsonNode notBase64 = api.decrypt(mini, client.key(), session, "%%%", data.iv())
                .problem(400, "malformed-encrypted-data").json();
        assertThat(notBase64.path("errors").get(0).path("field").asString()).isEqualTo("encrypted_data");
        assertThat(api.decrypt(mini, client.key(), session, data.encryptedData(), "AAAA").problem(400,
                "encrypted-data-wrong-size").json().path("errors").get(0).path("field").asString()).isEqualTo("iv");
        api.post(MiniProgramApi.base(mini) + "/sessions/" + session + "/decrypt", client.key(), Map.of("iv", data.iv()))
                .problem(400, "invalid-request");

        // a newer login outside the center: the session's key is stale, WeChat says so, and the session is forgotten
        simulator.mintLoginCode(mini.appid(), openid, null);
        assertThat(api.check(mini, client.key(), session).problem(409, "login-required")
                .json().path("errcode").asInt()).isEqualTo(87009);
        api.check(mini, client.key(), session).problem(404, "unknown-session");
    }

    @Test
    void aSessionIsUnknownUnderAnyOtherEnvironmentAndMalformedIdsAreUnknownToo() {
        Credential other = fixture.wechat(tenant, "mini", "test");
        String openid = "o" + TokenApiFixture.hex(10);
        String session = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201).text("session_id");
        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));

        api.decrypt(other, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        api.check(other, client.key(), session).problem(404, "unknown-session");
        api.logout(other, client.key(), session).problem(404, "unknown-session");
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).expect(200);
        for (String malformed : new String[] {"x", session + "A", session.substring(1) + "="}) {
            api.check(mini, client.key(), malformed).problem(404, "unknown-session");
        }

        // the clear part of the stored session moved to the other environment: its sealed part still does not open
        var bucket = redisson.<String>getBucket(RedisSessionStore.SESSION_PREFIX + session, StringCodec.INSTANCE);
        JsonNode stored = MiniProgramApi.JSON.readTree(bucket.get());
        long otherEnvironment = context.getBean(CredentialCatalog.class).find(other.key()).orElseThrow().environmentId();
        bucket.set(((tools.jackson.databind.node.ObjectNode) stored.deepCopy()).put("environment_id", otherEnvironment)
                .put("credential", other.key().toString()).toString(), Duration.ofMinutes(1));
        api.decrypt(other, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        bucket.set(((tools.jackson.databind.node.ObjectNode) stored.deepCopy()).put("sealed", "AAAA").toString(),
                Duration.ofMinutes(1));
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
        bucket.set(stored.toString(), Duration.ofMinutes(1));
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).expect(200);
    }

    @Test
    void grantsComeBeforeExistenceAndOnlyMiniProgramsHaveSessions() {
        CreatedClient tokenOnly = fixture.client(tenant, "*/*");
        CreatedClient phoneOnly = fixture.client(tenant, "*/*:phone-number");
        String session = api.login(mini, client.key(),
                simulator.mintLoginCode(mini.appid(), "o" + TokenApiFixture.hex(10), null).code()).expect(201).text("session_id");
        Credential missing = new Credential(new dev.tokencenter.registry.CredentialKey(tenant, "nothing", "prod"), "wx", "s");
        for (CreatedClient refused : new CreatedClient[] {tokenOnly, phoneOnly}) {
            for (Credential target : new Credential[] {mini, missing}) {
                api.login(target, refused.key(), "any").problem(403, "not-granted");
                api.decrypt(target, refused.key(), session, "AAAA", "AAAA").problem(403, "not-granted");
                api.check(target, refused.key(), session).problem(403, "not-granted");
                api.logout(target, refused.key(), session).problem(403, "not-granted");
            }
        }
        api.phoneNumber(mini, tokenOnly.key(), "any").problem(403, "not-granted");
        api.phoneNumber(mini, client.key(), "any").problem(403, "not-granted");
        String otherTenant = fixture.tenant();
        api.login(mini, fixture.client(otherTenant, "*/*:session").key(), "any").problem(403, "not-granted");

        CreatedClient everything = fixture.client(tenant, "*/*:session,phone-number");
        api.login(missing, everything.key(), "any").problem(404, "credential-not-found");
        Credential wecom = fixture.wecom(tenant, "corp", "prod");
        api.login(wecom, everything.key(), "any").problem(409, "not-a-mini-program");
        api.phoneNumber(wecom, everything.key(), "any").problem(409, "not-a-mini-program");
        api.check(wecom, everything.key(), session).problem(409, "not-a-mini-program");
        api.post(MiniProgramApi.base(mini) + "/sessions", everything.key(), Map.of()).problem(400, "invalid-request");
        api.post(MiniProgramApi.base(mini) + "/sessions", everything.key(), Map.of("code", "")).problem(400, "invalid-request");
        api.post(MiniProgramApi.base(mini) + "/sessions", everything.key(), Map.of("code", 12)).problem(400, "invalid-request");
        api.post(MiniProgramApi.base(mini) + "/sessions", everything.key(), Map.of("code", "c", "extra", 1))
                .problem(400, "invalid-request");
    }

    private List<String> redisKeys() {
        List<String> keys = new ArrayList<>();
        redisson.getKeys().getKeysByPattern("token-center:mp-*").forEach(keys::add);
        return keys;
    }
}
