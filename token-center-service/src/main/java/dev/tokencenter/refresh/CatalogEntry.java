package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;

/**
 * What the engine knows about one environment's credential, without its secret.
 *
 * @param environmentId the environment row (its secret is bound to it)
 * @param key           tenant / app / env slugs
 * @param upstreamId    the upstream credential (see {@code registry.UpstreamKey}): the unit of refresh, shared by every
 *                      environment of the tenant that names the same AppID (and mode, or WeCom agent)
 * @param upstreamKey   that credential's key, e.g. {@code wechat:wx0123456789abcdef:stable}
 * @param appid         the AppID, or the corp id for WeCom
 * @param platform      WECHAT_MINIPROGRAM, WECHAT_OFFICIAL_ACCOUNT or WECOM
 * @param mode          which upstream call issues its tokens
 * @param enabled       disabled environments are not served; an upstream credential is refreshed while any of its
 *                      environments is enabled
 */
public record CatalogEntry(long environmentId, CredentialKey key, long upstreamId, String upstreamKey, String appid,
                           String platform, TokenMode mode, boolean enabled) {
}
