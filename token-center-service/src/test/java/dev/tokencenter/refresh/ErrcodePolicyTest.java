package dev.tokencenter.refresh;

import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.ReportAnswer;
import dev.tokencenter.token.TokenSource;
import dev.tokencenter.token.TokenUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Each errcode class of the policy table, driven through the simulator's fault injection, with its call count; plus
 * compare-and-refresh, the report rate limit, the quota guard and the operator endpoints. One instance, its own
 * simulator (60 s tokens) and an engine clock that is the simulator's clock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrcodePolicyTest {

    private static final String CLASSIC = "/cgi-bin/token";
    private static final String STABLE = "/cgi-bin/stable_token";
    private static final String WECOM = "/cgi-bin/gettoken";

    static RefreshTestCluster cluster;
    static ConfigurableApplicationContext instance;
    static WechatSimulator simulator;
    static RegistryRows rows;
    static RedisTokenStore store;
    static TokenSource tokens;
    static WebTestClient http;

    /** Admin users of this test's instance, checked by the real admin security chain. */
    static final class AdminUsers {
        static final String OPERATOR = "refresh-operator";
        static final String VIEWER = "refresh-viewer";
        static final String PASSWORD = "correct-horse-battery-staple";
    }

    record Cred(CredentialKey key, long environmentId, long upstreamId, String appid, String secret, TokenMode mode) {
        String endpoint() {
            return mode.endpoint().path();
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(Duration.ofSeconds(60))
                .withClassicGracePeriod(Duration.ofSeconds(10))
                .withStableRotationWindow(Duration.ofSeconds(20)),
                Map.ofEntries(
                        Map.entry("token-center.refresh.scheduler-period", "100ms"),
                        Map.entry("token-center.refresh.minimum-lifetime", "2s"),
                        Map.entry("token-center.refresh.wecom-minimum-lifetime", "1s"),
                        Map.entry("token-center.refresh.minimum-lead", "10s"),
                        Map.entry("token-center.refresh.stable-rotation-window", "20s"),
                        Map.entry("token-center.refresh.stable-lead", "15s"),
                        Map.entry("token-center.refresh.jitter", "500ms"),
                        Map.entry("token-center.refresh.wecom-rollover-delay", "500ms"),
                        Map.entry("token-center.refresh.lock-lease", "5s"),
                        Map.entry("token-center.refresh.read-wait", "3s"),
                        Map.entry("token-center.refresh.retry-initial-backoff", "200ms"),
                        Map.entry("token-center.refresh.retry-max-backoff", "1s"),
                        Map.entry("token-center.refresh.report-min-interval", "3s"),
                        Map.entry("token-center.wechat.connect-timeout", "500ms"),
                        Map.entry("token-center.wechat.response-timeout", "1s")));
        simulator = cluster.simulator();
        instance = cluster.start("errcode-node");
        rows = new RegistryRows(instance);
        AdminUserService adminUsers = instance.getBean(AdminUserService.class);
        adminUsers.ensureAdminUser("test", AdminUsers.OPERATOR, AdminUsers.PASSWORD, AdminRole.OPERATOR);
        adminUsers.ensureAdminUser("test", AdminUsers.VIEWER, AdminUsers.PASSWORD, AdminRole.VIEWER);
        store = instance.getBean(RedisTokenStore.class);
        tokens = instance.getBean(TokenSource.class);
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(15))
                .build();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void stopCodesMakeExactlyOneCallStopAndCaptureTheIp() {
        List<Integer> codes = List.of(40001, 40002, 40013, 40243, 89503, 50001, 50002);
        List<Cred> stopped = new ArrayList<>();
        for (int code : codes) {
            stopped.add(newCredential(TokenMode.CLASSIC, appid -> Fault.errcode(CLASSIC, appid, code, 5)));
        }
        Cred whitelist = newCredential(TokenMode.STABLE, appid -> Fault.errcode(STABLE, appid, 40164,
                "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: 6650f1c2-1b2d3e4f-5a6b7c8d", 5));
        Cred unregistered = newCredential(TokenMode.CLASSIC, appid -> Fault.errcode(CLASSIC, appid, 61004,
                "access clientip is not registered, requestIP: 198.51.100.23 rid: 6650f1c2-1b2d3e4f-5a6b7c8e", 5));
        Cred wecomWrongSecret = newCredential(TokenMode.WECOM, "wrong-secret", null);
        List<Cred> all = new ArrayList<>(stopped);
        all.addAll(List.of(whitelist, unregistered, wecomWrongSecret));

        await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch(cred -> state(cred) == RefreshState.STOPPED));
        // stopped means stopped: no further call, however many scheduler periods pass
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> all.stream().allMatch(cred -> simulator.callCount(cred.appid(), cred.endpoint()) == 1));

        for (int i = 0; i < codes.size(); i++) {
            LastError error = status(stopped.get(i)).lastError();
            assertThat(error.errcode()).isEqualTo(codes.get(i));
            assertThat(error.policy()).isEqualTo(ErrcodePolicy.STOP);
            assertThat(error.ip()).isNull();
        }
        assertThat(status(whitelist).lastError().ip()).isEqualTo("203.0.113.9");
        assertThat(status(whitelist).lastError().message()).contains("not in whitelist");
        assertThat(status(unregistered).lastError().ip()).isEqualTo("198.51.100.23");
        assertThat(status(wecomWrongSecret).lastError().errcode()).isEqualTo(40001);

        assertThatThrownBy(() -> tokens.current(whitelist.key()).block())
                .isInstanceOf(TokenUnavailableException.class).hasMessageContaining("stopped");

        // the status API shows the IP to the admin
        JsonNode report = getJson("/admin/api/status?tenant=" + whitelist.key().tenant(), AdminUsers.VIEWER);
        JsonNode shown = credentialIn(report, whitelist);
        assertThat(shown.path("state").asString()).isEqualTo("STOPPED");
        assertThat(shown.path("needs_attention").asBoolean()).isTrue();
        assertThat(shown.path("last_error").path("errcode").asInt()).isEqualTo(40164);
        assertThat(shown.path("last_error").path("ip").asString()).isEqualTo("203.0.113.9");
        assertThat(shown.path("last_error").path("policy").asString()).isEqualTo("STOP");
        assertThat(shown.path("quota_used_today").path(STABLE).asLong()).isEqualTo(1);

        // an admin asks for a retry once the cause is fixed: one call, and it resumes
        simulator.clearFaults();
        JsonNode retried = postJson(path(whitelist) + "/retry", AdminUsers.OPERATOR, HttpStatus.OK);
        assertThat(retried.path("outcome").asString()).isEqualTo("REFRESHED");
        assertThat(retried.path("status").path("state").asString()).isEqualTo("OK");
        assertThat(simulator.callCount(whitelist.appid(), STABLE)).isEqualTo(2);
        assertThat(tokens.current(whitelist.key()).block().accessToken()).satisfies(token ->
                assertThat(simulator.tokenValidity(token).valid()).isTrue());
        assertThat(auditActions(whitelist)).contains("token.retry:" + AdminUsers.OPERATOR + ":SUCCESS");
    }

    @Test
    @Order(2)
    void wrongSecretStopsAfterOneCallAndTheRotatedSecretIsUsedAtOnce() {
        Cred cred = newCredential(TokenMode.CLASSIC, "not-the-secret", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.STOPPED);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> simulator.callCount(cred.appid(), CLASSIC) == 1);
        assertThat(status(cred).lastError().errcode()).isEqualTo(40125);

        rows.rotateSecret(cred.environmentId(), cred.key(), cred.secret());

        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.OK);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);
        assertThat(status(cred).lastTrigger()).isEqualTo("secret-changed");
        assertThat(status(cred).lastError()).isNull();
    }

    @Test
    @Order(3)
    void systemBusyIsRetriedWithBackoffUntilItRefreshes() {
        Cred cred = newCredential(TokenMode.CLASSIC, appid -> Fault.errcode(CLASSIC, appid, -1, 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> state(cred) == RefreshState.OK);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(4);
        assertThat(simulator.tokensIssued(cred.appid())).isEqualTo(1);
        RefreshStatus status = status(cred);
        assertThat(status.attempt()).isZero();
        assertThat(status.sequence()).isEqualTo(4);
        IssuedToken token = tokens.current(cred.key()).block();
        assertThat(simulator.tokenValidity(token.accessToken()).valid()).isTrue();
    }

    @Test
    @Order(4)
    void timeoutsAndServerErrorsAreRetried() {
        Cred hanging = newCredential(TokenMode.STABLE, appid -> Fault.hang(STABLE, appid, 1));
        Cred badGateway = newCredential(TokenMode.CLASSIC, appid -> Fault.httpStatus(CLASSIC, appid, 502, 2));
        await().atMost(Duration.ofSeconds(2)).until(() -> state(hanging) == RefreshState.REFRESHING);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(hanging) == RefreshState.OK && state(badGateway) == RefreshState.OK);
        assertThat(simulator.callCount(hanging.appid(), STABLE)).isEqualTo(2);
        assertThat(simulator.callCount(badGateway.appid(), CLASSIC)).isEqualTo(3);
        assertThat(simulator.tokensIssued(badGateway.appid())).isEqualTo(1);
    }

    @Test
    @Order(5)
    void aReportRefreshesOnlyACurrentTokenThatWechatRejectsAndIsRateLimited() {
        Cred cred = newCredential(TokenMode.CLASSIC, null);
        String first = awaitToken(cred).accessToken();
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(1);

        // a token that is not the current one: no call, the current token replaces it
        ReportAnswer stale = tokens.reportRejected(cred.key(), "not-a-current-token").block();
        assertThat(stale.token().accessToken()).isEqualTo(first);
        assertThat(stale.verdict()).isEqualTo(ReportAnswer.Verdict.REPLACED);
        // the current token, which WeChat still accepts: confirmed, nothing refreshed
        ReportAnswer valid = tokens.reportRejected(cred.key(), first).block();
        assertThat(valid.verdict()).isEqualTo(ReportAnswer.Verdict.CONFIRMED_VALID);
        assertThat(valid.token().accessToken()).isEqualTo(first);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(1);
        assertThat(simulator.callCount(cred.appid(), "/cgi-bin/openapi/quota/get")).isEqualTo(1);

        // WeChat no longer accepts it: one call, and the answer is the new token
        simulator.invalidateToken(first);
        ReportAnswer replaced = tokens.reportRejected(cred.key(), first).block();
        String second = replaced.token().accessToken();
        assertThat(replaced.verdict()).isEqualTo(ReportAnswer.Verdict.REPLACED);
        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);
        assertThat(simulator.tokenValidity(second).valid()).isTrue();
        assertThat(status(cred).lastTrigger()).isEqualTo("reported");

        // the old token reported again (a slow client): it is no longer current, no call
        assertThat(tokens.reportRejected(cred.key(), first).block().token().accessToken()).isEqualTo(second);
        // the new one failing at once: rate-limited; the dead token is not handed back as if it were new
        simulator.invalidateToken(second);
        assertThatThrownBy(() -> tokens.reportRejected(cred.key(), second).block())
                .isInstanceOf(TokenUnavailableException.class).hasMessageContaining("moments ago");
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);

        // once the interval (3 s here, 60 s by default) has passed, a report refreshes again
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(6)).ignoreExceptions()
                .until(() -> !tokens.reportRejected(cred.key(), second).block().token().accessToken().equals(second));
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(3);
    }

    @Test
    @Order(6)
    void stableReportForcesARefreshOnlyWhenWechatRejectsTheTokenAndLeavesOperatorsTheirShare() {
        Cred cred = newCredential(TokenMode.STABLE, null);
        String first = awaitToken(cred).accessToken();

        // WeChat's check rejects the token, yet a normal call still returns it: only then force_refresh
        simulator.injectFault(Fault.errcode("/cgi-bin/openapi/quota/get", cred.appid(), 40001, 1));
        String second = tokens.reportRejected(cred.key(), first).block().token().accessToken();
        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.callCount(cred.appid(), STABLE)).isEqualTo(3);
        assertThat(simulator.tokensIssued(cred.appid())).isEqualTo(2);
        assertThat(simulator.tokenValidity(first).valid()).isFalse();
        assertThat(simulator.tokenValidity(second).valid()).isTrue();
        QuotaAccounting quota = instance.getBean(QuotaAccounting.class);
        assertThat(quota.usedToday(cred.upstreamId(), QuotaAccounting.FORCE_REFRESH)).isEqualTo(1);

        // 15 of the 20 daily force_refresh calls used: client reports may not touch the 5 kept for operators
        RedissonClient redisson = instance.getBean(RedissonClient.class);
        RedisKeys keys = instance.getBean(RedisKeys.class);
        redisson.<String, String>getMap(keys.quota(cred.upstreamId(), LocalDate.ofInstant(simulator.clock().now(),
                ZoneOffset.ofHours(8))), StringCodec.INSTANCE).put(QuotaAccounting.FORCE_REFRESH, "15");
        redisson.getKeys().delete(keys.window("force-refresh", cred.upstreamId()), keys.window("on-demand-refresh", cred.upstreamId()));
        simulator.injectFault(Fault.errcode("/cgi-bin/openapi/quota/get", cred.appid(), 40001, 1));
        assertThatThrownBy(() -> tokens.reportRejected(cred.key(), second).block())
                .isInstanceOf(TokenUnavailableException.class);
        assertThat(simulator.callCount(cred.appid(), STABLE)).isEqualTo(4);
        assertThat(simulator.tokensIssued(cred.appid())).isEqualTo(2);
        assertThat(quota.usedToday(cred.upstreamId(), QuotaAccounting.FORCE_REFRESH)).isEqualTo(15);

        // an operator still can (once WeChat's own 30 s between two force_refresh calls have passed)
        simulator.clock().advance(Duration.ofSeconds(31));
        redisson.getKeys().delete(keys.window("on-demand-refresh", cred.upstreamId()));
        JsonNode forced = postJson(path(cred) + "/refresh", AdminUsers.OPERATOR, HttpStatus.OK);
        assertThat(forced.path("outcome").asString()).isEqualTo("REFRESHED");
        assertThat(simulator.tokensIssued(cred.appid())).isEqualTo(3);
        assertThat(quota.usedToday(cred.upstreamId(), QuotaAccounting.FORCE_REFRESH)).isEqualTo(16);
    }

    @Test
    @Order(21)
    void aClientReportingAValidTokenOverAndOverKillsNothing() {
        Cred cred = newCredential(TokenMode.STABLE, null);
        String current = awaitToken(cred).accessToken();
        String key = instance.getBean(ApiClientService.class).createClient("test", cred.key().tenant(), "noisy",
                List.of(new ClientGrant("*", "*"))).key();
        int confirmed = 0;
        int unverified = 0;
        for (int i = 0; i < 20; i++) {
            var result = http.post().uri("/v1/tokens/" + cred.key().tenant() + "/" + cred.key().app() + "/"
                            + cred.key().env() + "/invalidate")
                    .header("Authorization", "Bearer " + key).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("access_token", current)).exchange().expectBody().returnResult();
            if (result.getStatus().value() == 200) {
                JsonNode body = JsonMapper.builder().build().readTree(result.getResponseBody());
                // the reported token comes back only because WeChat confirmed it, and the answer says so
                assertThat(body.path("access_token").asString()).isEqualTo(current);
                assertThat(body.path("report").asString()).isEqualTo("confirmed_valid");
                confirmed++;
            } else {
                assertThat(result.getStatus().value()).isEqualTo(503);
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotNull();
                unverified++;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(confirmed).isBetween(1, 3);
        assertThat(confirmed + unverified).isEqualTo(20);
        // no token call, no force_refresh: every other client's cached token keeps working
        assertThat(simulator.callCount(cred.appid(), STABLE)).isEqualTo(1);
        assertThat(instance.getBean(QuotaAccounting.class).usedToday(cred.upstreamId(), QuotaAccounting.FORCE_REFRESH)).isZero();
        assertThat(simulator.tokenValidity(current).valid()).isTrue();
    }

    @Test
    @Order(7)
    void operatorForcesARefreshAuditedAndRateLimited() {
        Cred cred = newCredential(TokenMode.CLASSIC, null);
        String first = awaitToken(cred).accessToken();

        JsonNode forced = postJson(path(cred) + "/refresh", AdminUsers.OPERATOR, HttpStatus.OK);
        assertThat(forced.path("outcome").asString()).isEqualTo("REFRESHED");
        assertThat(forced.path("status").path("last_trigger").asString()).isEqualTo("forced");
        assertThat(forced.path("status").path("refreshed_by").asString()).isEqualTo("errcode-node");
        assertThat(tokens.current(cred.key()).block().accessToken()).isNotEqualTo(first);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);

        JsonNode limited = postJson(path(cred) + "/refresh", AdminUsers.OPERATOR, HttpStatus.TOO_MANY_REQUESTS);
        assertThat(limited.path("type").asString()).isEqualTo("https://token-center.dev/problems/refresh-rate-limited");
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);
        assertThat(auditActions(cred)).containsExactly("token.refresh:" + AdminUsers.OPERATOR + ":SUCCESS",
                "token.refresh:" + AdminUsers.OPERATOR + ":DENIED");

        http.post().uri(path(cred) + "/refresh").headers(h -> h.setBasicAuth(AdminUsers.VIEWER, AdminUsers.PASSWORD))
                .exchange().expectStatus().isForbidden();
        JsonNode missing = postJson("/admin/api/tenants/" + cred.key().tenant() + "/apps/nope/envs/prod/refresh",
                AdminUsers.OPERATOR, HttpStatus.NOT_FOUND);
        assertThat(missing.path("type").asString()).isEqualTo("https://token-center.dev/problems/credential-not-found");

        JsonNode one = getJson(path(cred) + "/status", AdminUsers.VIEWER);
        assertThat(one.path("state").asString()).isEqualTo("OK");
        assertThat(one.path("quota_used_today").path(CLASSIC).asLong()).isEqualTo(2);
        assertThat(Instant.parse(one.path("expires_at").asString())).isAfter(Instant.parse(one.path("obtained_at").asString()));
        assertThat(Instant.parse(one.path("next_refresh_at").asString())).isBefore(Instant.parse(one.path("expires_at").asString()));
    }

    @Test
    @Order(8)
    void quotaGuardRefusesAutomaticCallsBeyondItsShare() {
        Cred cred = newCredential(TokenMode.CLASSIC, null, false);
        // 1600 of 2000 classic calls (80 %) already used today
        RedissonClient redisson = instance.getBean(RedissonClient.class);
        String quotaKey = instance.getBean(RedisKeys.class).quota(cred.upstreamId(),
                LocalDate.ofInstant(simulator.clock().now(), ZoneOffset.ofHours(8)));
        redisson.<String, String>getMap(quotaKey, StringCodec.INSTANCE).put(CLASSIC, "1600");
        rows.setEnabled(cred.environmentId(), cred.key(), true);

        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.PAUSED);
        assertThat(status(cred).lastError().policy()).isEqualTo(ErrcodePolicy.QUOTA_GUARD);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isZero();
    }

    @Test
    @Order(9)
    void disabledCredentialIsNeitherServedNorRefreshedAndColdReadsFallBackToPostgres() {
        Cred cred = newCredential(TokenMode.CLASSIC, null);
        IssuedToken token = awaitToken(cred);

        // Redis lost the token: a reader that misses the near cache gets it from PostgreSQL
        instance.getBean(RedissonClient.class).getKeys().delete(instance.getBean(RedisKeys.class).token(cred.upstreamId()));
        CurrentToken cold = instance.getBean(TokenReader.class).current(cred.upstreamId()).block();
        assertThat(cold.accessToken()).isEqualTo(token.accessToken());
        assertThat(cold.sequence()).isEqualTo(status(cred).sequence());

        rows.setEnabled(cred.environmentId(), cred.key(), false);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThatThrownBy(() -> tokens.current(cred.key()).block())
                .isInstanceOf(TokenUnavailableException.class).hasMessageContaining("disabled"));
        JsonNode refused = postJson(path(cred) + "/refresh", AdminUsers.OPERATOR, HttpStatus.CONFLICT);
        assertThat(refused.path("type").asString()).isEqualTo("https://token-center.dev/problems/credential-disabled");

        // due, but disabled: the scheduler leaves it alone
        RefreshStatus held = status(cred);
        forceStatus(cred, new RefreshStatus(RefreshState.OK, held.sequence(), held.appid(),
                held.expiresAt(), held.obtainedAt(), simulator.clock().now(), held.lastTrigger(), null, null,
                held.refreshedBy(), 0, held.updatedAt()));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> simulator.callCount(cred.appid(), CLASSIC) == 1);
    }

    @Test
    @Order(10)
    void aLateWriteWithALowerSequenceNeverReplacesANewerToken() {
        Cred cred = newCredential(TokenMode.CLASSIC, null);
        IssuedToken current = awaitToken(cred);
        long sequence = status(cred).sequence();
        TokenCipher sealing = instance.getBean(TokenCipher.class);
        TokenStateStore database = instance.getBean(TokenStateStore.class);
        Instant now = simulator.clock().now();
        StoredToken late = sealing.seal(new CurrentToken(cred.upstreamId(), sequence - 1, cred.appid(), "late-token",
                now.plusSeconds(60), now, null));
        StoredToken same = sealing.seal(new CurrentToken(cred.upstreamId(), sequence, cred.appid(), "same-sequence",
                now.plusSeconds(60), now, null));

        RefreshStatus held = status(cred);
        long fence = instance.getBean(TokenStateStore.class).read(cred.upstreamId()).orElseThrow().fence();
        // a holder whose fence is no longer the newest writes neither token nor status, in Redis or in PostgreSQL
        store.nextFence(cred.upstreamId(), 0);
        assertThat(store.save(cred.upstreamId(), fence, late, held.withState(RefreshState.RETRYING, now), now)).isFalse();
        assertThat(store.save(cred.upstreamId(), fence, same, held, now)).isFalse();
        assertThat(database.save(cred.upstreamId(), fence - 1, late, held)).isFalse();
        assertThat(sealing.open(store.readToken(cred.upstreamId()).orElseThrow()).accessToken()).isEqualTo(current.accessToken());
        assertThat(status(cred).state()).isEqualTo(RefreshState.OK);
        assertThat(sealing.open(database.read(cred.upstreamId()).orElseThrow().token().orElseThrow()).accessToken())
                .isEqualTo(current.accessToken());
        // the fence never hands out a value at or below the stored sequence, even if Redis lost the counter
        instance.getBean(RedissonClient.class).getKeys().delete(instance.getBean(RedisKeys.class).fence(cred.upstreamId()));
        assertThat(store.nextFence(cred.upstreamId(), sequence)).isEqualTo(sequence + 1);
    }

    @Test
    @Order(11)
    void anAnswerWithTheTokenAlreadyHeldIsNotARefreshAndDoesNotLoop() {
        Cred stable = newCredential(TokenMode.STABLE, null);
        Cred wecom = newCredential(TokenMode.WECOM, null);
        for (Cred cred : List.of(stable, wecom)) {
            RefreshStatus held = awaitStatus(cred);
            // as if clocks disagreed: the scheduler believes a new token is due long before upstream has one
            forceStatus(cred, new RefreshStatus(RefreshState.OK, held.sequence(), held.appid(),
                    held.expiresAt(), held.obtainedAt(), simulator.clock().now(), held.lastTrigger(), null, null,
                    held.refreshedBy(), 0, held.updatedAt()));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> simulator.callCount(stable.appid(), STABLE) == 2
                && simulator.callCount(wecom.appid(), WECOM) == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                simulator.callCount(stable.appid(), STABLE) == 2 && simulator.callCount(wecom.appid(), WECOM) == 2);
        for (Cred cred : List.of(stable, wecom)) {
            RefreshStatus after = status(cred);
            assertThat(simulator.tokensIssued(cred.appid())).isEqualTo(1);
            assertThat(after.sequence()).as("the same token is not a new one").isEqualTo(1);
            assertThat(after.state()).isEqualTo(RefreshState.OK);
            assertThat(after.nextRefreshAt()).isAfter(simulator.clock().now().plusSeconds(10));
        }
    }

    @Test
    @Order(12)
    void minuteLimitWaitsForTheNextMinute() {
        Cred cred = newCredential(TokenMode.STABLE, appid -> Fault.errcode(STABLE, appid, 45011, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.RETRYING);
        Instant next = status(cred).nextRefreshAt();
        Instant failedAt = status(cred).lastError().at();
        assertThat(next).isAfterOrEqualTo(Instant.ofEpochSecond((failedAt.getEpochSecond() / 60 + 1) * 60));
        assertThat(simulator.callCount(cred.appid(), STABLE)).isEqualTo(1);

        simulator.clock().advanceTo(next.plusMillis(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.OK);
        assertThat(simulator.callCount(cred.appid(), STABLE)).isEqualTo(2);
    }

    @Test
    @Order(13)
    void dailyQuotaPausesUntilTheNextQuotaDayInChinaStandardTime() {
        Cred cred = newCredential(TokenMode.CLASSIC, appid -> Fault.errcode(CLASSIC, appid, 45009, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.PAUSED);
        Instant midnight = LocalDate.ofInstant(simulator.clock().now(), ZoneOffset.ofHours(8)).plusDays(1)
                .atStartOfDay(ZoneOffset.ofHours(8)).toInstant();
        RefreshStatus paused = status(cred);
        assertThat(paused.pausedUntil()).isEqualTo(midnight);
        assertThat(paused.lastError().policy()).isEqualTo(ErrcodePolicy.PAUSE);
        assertThatThrownBy(() -> tokens.current(cred.key()).block())
                .isInstanceOfSatisfying(TokenUnavailableException.class, e -> assertThat(e.retryAfter()).isPositive());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> simulator.callCount(cred.appid(), CLASSIC) == 1);

        simulator.clock().advanceTo(midnight.plusSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.OK);
        assertThat(simulator.callCount(cred.appid(), CLASSIC)).isEqualTo(2);
        TokenValidity validity = simulator.tokenValidity(tokens.current(cred.key()).block().accessToken());
        assertThat(validity.valid()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------------

    interface FaultFor {
        Fault forAppid(String appid);
    }

    @Test
    @Order(20)
    void aStoredTokenThatCannotBeOpenedCountsAsAbsentAndCausesOneFetchNotALoop() {
        for (String kind : List.of("retired master key", "malformed envelope")) {
            Cred cred = newCredential(TokenMode.CLASSIC, null);
            RefreshStatus held = awaitStatus(cred);
            Instant now = simulator.clock().now();
            String envelope = kind.startsWith("retired")
                    ? java.util.Base64.getEncoder().encodeToString(new dev.tokencenter.crypto.EnvelopeCipher(
                            dev.tokencenter.crypto.MasterKeyRing.parse("retired:" + java.util.Base64.getEncoder()
                                    .encodeToString(randomBytes(32)))).seal("TOKEN", "token:" + cred.upstreamId()).toBytes())
                    : "bm90IGFuIGVudmVsb3Bl";
            // what an instance finds in Redis after the key that sealed it was retired (or the value was damaged)
            instance.getBean(RedissonClient.class).<String>getBucket(instance.getBean(RedisKeys.class).token(cred.upstreamId()),
                    StringCodec.INSTANCE).set(RedisTokenStore.JSON.writeValueAsString(new StoredToken(cred.upstreamId(),
                    held.sequence(), cred.appid(), envelope, held.expiresAt(), held.obtainedAt(), null)));
            forceStatus(cred, new RefreshStatus(RefreshState.OK, held.sequence(), held.appid(), held.expiresAt(),
                    held.obtainedAt(), now, held.lastTrigger(), null, null, held.refreshedBy(), 0, now));

            await().atMost(Duration.ofSeconds(5)).until(() -> status(cred).sequence() > held.sequence());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                    simulator.callCount(cred.appid(), CLASSIC) == 2);
            assertThat(state(cred)).as(kind).isEqualTo(RefreshState.OK);
            String served = tokens.current(cred.key()).block().accessToken();
            assertThat(simulator.tokenValidity(served).valid()).as(kind).isTrue();
        }
    }

    private static Cred newCredential(TokenMode mode, FaultFor fault) {
        return newCredential(mode, null, fault, true);
    }

    private static Cred newCredential(TokenMode mode, FaultFor fault, boolean enabled) {
        return newCredential(mode, null, fault, enabled);
    }

    private static Cred newCredential(TokenMode mode, String registrySecret, FaultFor fault) {
        return newCredential(mode, registrySecret, fault, true);
    }

    /** Registers the app in the simulator, arms the fault, then creates the registry rows (the first fetch follows). */
    private static Cred newCredential(TokenMode mode, String registrySecret, FaultFor fault, boolean enabled) {
        String suffix = HexFormat.of().formatHex(randomBytes(8));
        String appid = (mode == TokenMode.WECOM ? "ww" : "wx") + suffix;
        String secret = "secret-" + suffix;
        simulator.registerApp(appid, secret, mode == TokenMode.WECOM ? Platform.WECOM : Platform.WECHAT);
        if (fault != null) {
            simulator.injectFault(fault.forAppid(appid));
        }
        CredentialKey key = new CredentialKey("t" + suffix.substring(0, 10), "app", "prod");
        String platform = mode == TokenMode.WECOM ? "WECOM" : "WECHAT_MINIPROGRAM";
        long environmentId = rows.create(key, platform, mode == TokenMode.CLASSIC ? "CLASSIC" : "STABLE", appid,
                registrySecret == null ? secret : registrySecret, enabled);
        return new Cred(key, environmentId, rows.upstreamId(environmentId), appid, secret, mode);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static RefreshStatus awaitStatus(Cred cred) {
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.OK);
        return status(cred);
    }

    private static IssuedToken awaitToken(Cred cred) {
        await().atMost(Duration.ofSeconds(5)).until(() -> state(cred) == RefreshState.OK);
        return tokens.current(cred.key()).block();
    }

    /** Overwrites the shared status as the newest fence holder would (a test's stand-in for a refresh attempt). */
    private static void forceStatus(Cred cred, RefreshStatus status) {
        long fence = store.nextFence(cred.upstreamId(), 0);
        assertThat(store.save(cred.upstreamId(), fence, null, status, simulator.clock().now())).isTrue();
    }

    private static RefreshStatus status(Cred cred) {
        return store.status(cred.upstreamId()).orElse(null);
    }

    private static RefreshState state(Cred cred) {
        RefreshStatus status = status(cred);
        return status == null ? null : status.state();
    }

    private static String path(Cred cred) {
        return "/admin/api/tenants/" + cred.key().tenant() + "/apps/" + cred.key().app() + "/envs/" + cred.key().env();
    }

    private static JsonNode getJson(String uri, String user) {
        byte[] body = http.get().uri(uri).headers(h -> h.setBasicAuth(user, AdminUsers.PASSWORD))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }

    private static JsonNode postJson(String uri, String user, HttpStatus expected) {
        byte[] body = http.post().uri(uri).headers(h -> h.setBasicAuth(user, AdminUsers.PASSWORD))
                .exchange().expectStatus().isEqualTo(expected).expectBody().returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }

    private static JsonNode credentialIn(JsonNode report, Cred cred) {
        for (JsonNode node : report.path("credentials")) {
            if (node.path("environment_id").asLong() == cred.environmentId()) {
                return node;
            }
        }
        throw new AssertionError("status report lacks " + cred.key());
    }

    private static List<String> auditActions(Cred cred) {
        return instance.getBean(JdbcTemplate.class).queryForList(
                "select action || ':' || actor || ':' || outcome from audit_event where target = ? order by id",
                String.class, cred.key().toString());
    }
}
