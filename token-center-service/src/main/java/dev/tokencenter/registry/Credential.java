package dev.tokencenter.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The AppID (or WeCom corp id + agent id) and the sealed secret of one environment. The secret exists here only as
 * an envelope bound to {@code credential:<environment_id>:secret}; {@code secretHint} is at most its last 4 characters.
 */
@Entity
@Table(name = "credential")
class Credential {

    @Id
    @Column(name = "environment_id")
    private Long environmentId;

    @Column(nullable = false)
    private String appid;

    @Column(name = "agent_id")
    private String agentId;

    @Column(name = "secret_envelope", nullable = false)
    private byte[] secretEnvelope;

    @Column(name = "secret_key_id", nullable = false)
    private String secretKeyId;

    @Column(name = "secret_hint", nullable = false)
    private String secretHint;

    @Column(nullable = false)
    private int version;

    @Column(name = "rotated_at", nullable = false)
    private Instant rotatedAt;

    protected Credential() {
    }

    Credential(Long environmentId, String appid, String agentId, SealedSecret secret, Instant now) {
        this.environmentId = environmentId;
        this.appid = appid;
        this.agentId = agentId;
        this.version = 1;
        applySecret(secret, now);
    }

    /** One new version of the credential: a new AppID or agent id, and a new secret when {@code secret} is not null. */
    void change(String appid, String agentId, SealedSecret secret, Instant now) {
        this.appid = appid;
        this.agentId = agentId;
        if (secret != null) {
            applySecret(secret, now);
        }
        this.version++;
    }

    private void applySecret(SealedSecret secret, Instant now) {
        this.secretEnvelope = secret.envelope();
        this.secretKeyId = secret.keyId();
        this.secretHint = secret.hint();
        this.rotatedAt = now;
    }

    Long environmentId() {
        return environmentId;
    }

    String appid() {
        return appid;
    }

    String agentId() {
        return agentId;
    }

    byte[] secretEnvelope() {
        return secretEnvelope;
    }

    String secretHint() {
        return secretHint;
    }

    int version() {
        return version;
    }

    Instant rotatedAt() {
        return rotatedAt;
    }

    @Override
    public String toString() {
        return "Credential[environment " + environmentId + ", appid " + appid + ", version " + version + "]";
    }
}
