package dev.tokencenter.crypto;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.SecretReader;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenStateRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.SecureRandom;
import java.util.Base64;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tampered, swapped or foreign-key ciphertext is rejected with an error naming its row, never opened or emptied. */
@IntegrationTest
class TamperedCiphertextTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretReader secrets;

    @Autowired
    EnvelopeCipher cipher;

    @Autowired
    EnvironmentService environments;

    String tenant;
    long first;
    long second;
    String firstSecret;
    String secondSecret;

    @BeforeEach
    void createTwoCredentials() {
        tenant = slug("tamper");
        context.getBean(TenantService.class).createTenant("test", tenant, "Tamper");
        context.getBean(AppService.class).createApp("test", tenant, "shop", "Shop", Platform.WECHAT_MINIPROGRAM);
        firstSecret = secret();
        secondSecret = secret();
        environments.putEnvironment("test", tenant, "shop", "one",
                EnvironmentSpec.of(wechatAppid(), firstSecret, false, TokenMode.STABLE, false, null));
        environments.putEnvironment("test", tenant, "shop", "two",
                EnvironmentSpec.of(wechatAppid(), secondSecret, false, TokenMode.STABLE, false, null));
        first = environmentId("one");
        second = environmentId("two");
    }

    @AfterEach
    void removeBrokenRows() {
        environments.deleteEnvironment("test", tenant, "shop", "one");
        environments.deleteEnvironment("test", tenant, "shop", "two");
    }

    @Test
    void aTamperedSecretIsRejectedNamingItsRow() {
        assertThat(secrets.secretOf(first)).isEqualTo(firstSecret);
        byte[] envelope = envelopeOf(first);
        envelope[envelope.length - 1] ^= 0x01;
        storeEnvelope(first, envelope);

        assertThatThrownBy(() -> secrets.secretOf(first))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("credential:" + first + ":secret")
                .hasMessageContaining("tampered")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(firstSecret));
        assertThat(secrets.secretOf(second)).isEqualTo(secondSecret);
    }

    @Test
    void aTamperedWrappedDataKeyIsRejectedNamingItsRow() {
        byte[] envelope = envelopeOf(first);
        Envelope parsed = Envelope.fromBytes(envelope);
        byte[] wrapped = parsed.wrappedDataKey().clone();
        wrapped[wrapped.length / 2] ^= 0x40;
        storeEnvelope(first, new Envelope(parsed.keyId(), wrapped, parsed.ciphertext()).toBytes());

        assertThatThrownBy(() -> secrets.secretOf(first))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("credential:" + first + ":secret");
    }

    @Test
    void aCiphertextCopiedOntoAnotherRowDoesNotOpen() {
        storeEnvelope(first, envelopeOf(second));

        assertThatThrownBy(() -> secrets.secretOf(first))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("credential:" + first + ":secret")
                .hasMessageContaining("bound to another row");
        assertThat(secrets.secretOf(second)).isEqualTo(secondSecret);
    }

    @Test
    void aTokenCopiedOntoAnotherRowOrTamperedDoesNotOpen() {
        String token = "TOKEN_" + secret();
        long first = TokenStateRows.upstreamIdOf(jdbc, this.first);
        long second = TokenStateRows.upstreamIdOf(jdbc, this.second);
        Envelope sealed = cipher.seal(token, "token:" + second);
        TokenStateRows.plantToken(jdbc, first, sealed.toBytes(), sealed.keyId());
        byte[] stored = jdbc.queryForObject("select token_envelope from token_state where upstream_id = ?", byte[].class, first);

        assertThatThrownBy(() -> cipher.open(Envelope.fromBytes(stored), "token:" + first))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("token:" + first)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
        assertThat(cipher.open(Envelope.fromBytes(stored), "token:" + second)).isEqualTo(token);

        byte[] tampered = stored.clone();
        tampered[tampered.length - 3] ^= 0x10;
        assertThatThrownBy(() -> cipher.open(Envelope.fromBytes(tampered), "token:" + second))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("token:" + second);
    }

    @Test
    void aRowSealedWithAMissingMasterKeyIsNamedByReadsAndByTheRewrap() {
        EnvelopeCipher foreign = new EnvelopeCipher(MasterKeyRing.parse("gone:" + randomKey()));
        storeEnvelope(first, foreign.seal(firstSecret, "credential:" + first + ":secret").toBytes(), "gone");

        assertThatThrownBy(() -> secrets.secretOf(first))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("credential:" + first + ":secret")
                .hasMessageContaining("master key 'gone'");

        Login admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        AdminApiTestSupport.client(port).post().uri("/admin/api/keys/rewrap").headers(admin.basic()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.active_key_id").isEqualTo(cipher.ring().activeKeyId())
                .jsonPath("$.failures[?(@.row == 'credential row of " + tenant + "/shop/one (credential:" + first
                        + ":secret)')].problem").isEqualTo("sealed value credential:" + first
                        + ":secret is sealed with master key 'gone', which is not in the configured key ring")
                .jsonPath("$.remaining.credential.gone").isNumber();
        assertThat(jdbc.queryForObject("select secret_key_id from credential where environment_id = ?", String.class, first))
                .isEqualTo("gone");
    }

    @Test
    void aPutWithANewSecretReplacesAnUnreadableOne() {
        byte[] envelope = envelopeOf(first);
        envelope[envelope.length - 1] ^= 0x01;
        storeEnvelope(first, envelope);
        String replacement = secret();

        var result = environments.putEnvironment("test", tenant, "shop", "one",
                new EnvironmentSpec(null, replacement, null, null, null, null));

        assertThat(result.changed()).isTrue();
        assertThat(result.environment().credentialVersion()).isEqualTo(2);
        assertThat(secrets.secretOf(first)).isEqualTo(replacement);
    }

    private long environmentId(String env) {
        return jdbc.queryForObject("""
                select e.id from environment e join app a on a.id = e.app_id
                 where a.tenant_id = ? and a.slug = 'shop' and e.name = ?""", Long.class, tenant, env);
    }

    private byte[] envelopeOf(long environmentId) {
        return jdbc.queryForObject("select secret_envelope from credential where environment_id = ?", byte[].class, environmentId);
    }

    private void storeEnvelope(long environmentId, byte[] envelope) {
        storeEnvelope(environmentId, envelope, cipher.ring().activeKeyId());
    }

    private void storeEnvelope(long environmentId, byte[] envelope, String keyId) {
        assertThat(jdbc.update("update credential set secret_envelope = ?, secret_key_id = ? where environment_id = ?",
                envelope, keyId, environmentId)).isEqualTo(1);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
