package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.registry.CredentialChangedEvent;
import dev.tokencenter.registry.CredentialKey;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts registry rows the way the registry would (secret sealed with the context's EnvelopeCipher, binding
 * {@code credential:<environment_id>:secret}), then publishes the registry's after-commit event.
 */
final class RegistryRows {

    private final ApplicationContext context;
    private final JdbcTemplate jdbc;
    private final EnvelopeCipher cipher;

    RegistryRows(ApplicationContext context) {
        this.context = context;
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.cipher = context.getBean(EnvelopeCipher.class);
    }

    /** platform: WECHAT_MINIPROGRAM / WECHAT_OFFICIAL_ACCOUNT / WECOM; mode: STABLE / CLASSIC. */
    long create(CredentialKey key, String platform, String mode, String appid, String secret) {
        return create(key, platform, mode, appid, secret, true);
    }

    long create(CredentialKey key, String platform, String mode, String appid, String secret, boolean enabled) {
        long environmentId = insert(key, platform, mode, appid, secret, enabled);
        publish(environmentId, key, CredentialChangedEvent.Change.CREATED);
        return environmentId;
    }

    /** Inserts the rows without the change event: what an instance sees when the change message was lost. */
    long insert(CredentialKey key, String platform, String mode, String appid, String secret, boolean enabled) {
        jdbc.update("insert into tenant (id, name) values (?, ?) on conflict do nothing", key.tenant(), key.tenant());
        jdbc.update("insert into app (tenant_id, slug, name, platform) values (?, ?, ?, ?) on conflict do nothing",
                key.tenant(), key.app(), key.app(), platform);
        Long appId = jdbc.queryForObject("select id from app where tenant_id = ? and slug = ?", Long.class,
                key.tenant(), key.app());
        Long environmentId = jdbc.queryForObject(
                "insert into environment (app_id, name, token_mode, enabled) values (?, ?, ?, ?) returning id", Long.class,
                appId, key.env(), mode, enabled);
        Envelope sealed = cipher.seal(secret, "credential:" + environmentId + ":secret");
        jdbc.update("insert into credential (environment_id, appid, secret_envelope, secret_key_id, secret_hint) values (?, ?, ?, ?, ?)",
                environmentId, appid, sealed.toBytes(), sealed.keyId(), secret.substring(0, Math.min(4, secret.length())));
        return environmentId;
    }

    void rotateSecret(long environmentId, CredentialKey key, String secret) {
        Envelope sealed = cipher.seal(secret, "credential:" + environmentId + ":secret");
        jdbc.update("update credential set secret_envelope = ?, secret_key_id = ?, version = version + 1, rotated_at = now() where environment_id = ?",
                sealed.toBytes(), sealed.keyId(), environmentId);
        publish(environmentId, key, CredentialChangedEvent.Change.SECRET_ROTATED);
    }

    void setEnabled(long environmentId, CredentialKey key, boolean enabled) {
        jdbc.update("update environment set enabled = ?, updated_at = now() where id = ?", enabled, environmentId);
        publish(environmentId, key, enabled ? CredentialChangedEvent.Change.ENABLED : CredentialChangedEvent.Change.DISABLED);
    }

    void delete(long environmentId, CredentialKey key) {
        jdbc.update("delete from environment where id = ?", environmentId);
        publish(environmentId, key, CredentialChangedEvent.Change.DELETED);
    }

    /** The upstream credential (unit of refresh) of an environment, as the catalog numbers it. */
    long upstreamId(long environmentId) {
        CredentialCatalog catalog = context.getBean(CredentialCatalog.class);
        catalog.reload();
        return catalog.find(environmentId).orElseThrow().upstreamId();
    }

    private void publish(long environmentId, CredentialKey key, CredentialChangedEvent.Change change) {
        context.publishEvent(new CredentialChangedEvent(environmentId, key.tenant(), key.app(), key.env(), change));
    }
}
