package dev.tokencenter.simulator;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The applications WeChat knows: appid (or WeCom corp id), platform and the accepted secret(s). A WeChat app
 * has exactly one AppSecret; a WeCom corp has one secret per app, each with its own token.
 */
final class AppRegistry {

    enum CredentialCheck { OK, UNKNOWN_APP, WRONG_SECRET }

    record RegisteredApp(String appid, Platform platform, Set<String> secrets) {
    }

    private final ConcurrentHashMap<String, RegisteredApp> apps = new ConcurrentHashMap<>();

    void register(String appid, String secret, Platform platform) {
        requireText(appid, "appid");
        requireText(secret, "secret");
        Objects.requireNonNull(platform, "platform");
        apps.compute(appid, (id, existing) -> {
            if (existing == null || platform == Platform.WECHAT && existing.platform() == Platform.WECHAT) {
                return new RegisteredApp(id, platform, Set.of(secret));
            }
            if (existing.platform() != platform) {
                throw new IllegalArgumentException(id + " is already registered as " + existing.platform());
            }
            Set<String> secrets = new LinkedHashSet<>(existing.secrets());
            secrets.add(secret);
            return new RegisteredApp(id, platform, Set.copyOf(secrets));
        });
    }

    /** Replaces every secret of the app (a WeChat AppSecret reset; for WeCom: all the corp's secrets). */
    void changeSecret(String appid, String newSecret) {
        requireText(newSecret, "secret");
        apps.compute(appid, (id, existing) -> {
            if (existing == null) {
                throw new IllegalArgumentException("unknown appid " + id);
            }
            return new RegisteredApp(id, existing.platform(), Set.of(newSecret));
        });
    }

    /** Replaces one secret of a WeCom corp (one app's secret reset), keeping the others. */
    void changeSecret(String appid, String oldSecret, String newSecret) {
        requireText(newSecret, "secret");
        apps.compute(appid, (id, existing) -> {
            if (existing == null) {
                throw new IllegalArgumentException("unknown appid " + id);
            }
            if (!existing.secrets().contains(oldSecret)) {
                throw new IllegalArgumentException("unknown secret for " + id);
            }
            Set<String> secrets = new LinkedHashSet<>(existing.secrets());
            secrets.remove(oldSecret);
            secrets.add(newSecret);
            return new RegisteredApp(id, existing.platform(), Set.copyOf(secrets));
        });
    }

    Optional<RegisteredApp> find(String appid) {
        return appid == null ? Optional.empty() : Optional.ofNullable(apps.get(appid));
    }

    boolean isRegistered(String appid, Platform platform) {
        return find(appid).map(app -> app.platform() == platform).orElse(false);
    }

    CredentialCheck check(String appid, String secret, Platform platform) {
        RegisteredApp app = apps.get(appid);
        if (app == null || app.platform() != platform) {
            return CredentialCheck.UNKNOWN_APP;
        }
        return app.secrets().contains(secret) ? CredentialCheck.OK : CredentialCheck.WRONG_SECRET;
    }

    RegisteredApp require(String appid) {
        return find(appid).orElseThrow(() -> new IllegalArgumentException("unknown appid " + appid));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
