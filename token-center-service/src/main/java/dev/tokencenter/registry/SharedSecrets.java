package dev.tokencenter.registry;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.registry.CredentialChangedEvent.Change;
import dev.tokencenter.web.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Environments that share an upstream credential share its secret (see {@link AppidHolders}): joining them with
 * another secret is refused, naming the environment that holds it, and a new secret for one of them becomes the
 * secret of all. Call inside the registry transaction.
 */
@Component
class SharedSecrets {

    private static final Logger log = LoggerFactory.getLogger(SharedSecrets.class);

    private final AppidHolders holders;
    private final CredentialRepository credentials;
    private final SecretCipher sealer;

    SharedSecrets(AppidHolders holders, CredentialRepository credentials, SecretCipher sealer) {
        this.holders = holders;
        this.credentials = credentials;
        this.sealer = sealer;
    }

    /**
     * 409 unless {@code secret} is the secret of the environments of the tenant that already hold {@code upstreamKey}
     * (none is fine); 409 as well when another tenant holds the AppID.
     */
    void requireSameSecret(String tenant, long environmentId, String appid, String upstreamKey, String secret) {
        List<AppidHolders.Sharer> sharers = holders.sharersOf(tenant, environmentId, appid, upstreamKey);
        if (sharers.isEmpty()) {
            return;
        }
        AppidHolders.Sharer holder = sharers.get(0);
        boolean same;
        try {
            same = secret != null && SecretCipher.same(sealer.open(holder.environmentId(), holder.secretEnvelope()), secret);
        } catch (SealedValueException e) {
            same = false;
        }
        if (!same) {
            throw new ConflictException("environment '" + holder.path(tenant) + "' holds AppID " + appid
                    + " with a different secret: environments that share an AppID share its token and its secret;"
                    + " use the same secret, or rotate it on '" + holder.path(tenant) + "' (which rotates it for every"
                    + " environment that shares it)");
        }
    }

    /** A new secret for a shared upstream credential is the new secret of every environment that shares it. */
    List<String> rotateSharers(String tenant, Platform platform, AppEnvironment environment, Credential credential,
                               String secret, Instant now, List<Object> events) {
        String key = UpstreamKey.of(platform.name(), environment.tokenMode().name(), credential.appid(),
                credential.agentId(), environment.id());
        List<String> rotated = new ArrayList<>();
        for (AppidHolders.Sharer sharer : holders.sharersOf(tenant, environment.id(), credential.appid(), key)) {
            Credential shared = credentials.findById(sharer.environmentId()).orElseThrow();
            shared.change(shared.appid(), shared.agentId(), sealer.seal(sharer.environmentId(), secret), now);
            rotated.add(sharer.path(tenant));
            events.add(new CredentialChangedEvent(sharer.environmentId(), tenant, sharer.app(), sharer.env(),
                    Change.SECRET_ROTATED));
        }
        return rotated;
    }

    /** A stored secret that cannot be opened (wrong key, tampered) counts as different, so a PUT can replace it. */
    boolean isStoredSecret(AppEnvironment environment, Credential credential, String secret) {
        try {
            return SecretCipher.same(sealer.open(environment.id(), credential.secretEnvelope()), secret);
        } catch (SealedValueException e) {
            log.warn("replacing a stored credential that cannot be opened: {}", e.getMessage());
            return false;
        }
    }

    /** The stored secret, or null when it cannot be opened. */
    String readable(AppEnvironment environment, Credential credential) {
        try {
            return sealer.open(environment.id(), credential.secretEnvelope());
        } catch (SealedValueException e) {
            return null;
        }
    }
}
