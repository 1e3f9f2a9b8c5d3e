package dev.tokencenter.refresh;

import dev.tokencenter.token.CredentialKey;

/**
 * What the engine knows about one credential, without its secret.
 *
 * @param environmentId the environment row (tokens and secrets are bound to it)
 * @param key           tenant / app / env slugs
 * @param appid         the AppID, or the corp id for WeCom
 * @param platform      WECHAT_MINIPROGRAM, WECHAT_OFFICIAL_ACCOUNT or WECOM
 * @param mode          which upstream call issues its tokens
 * @param enabled       disabled credentials are neither refreshed nor served
 */
public record CatalogEntry(long environmentId, CredentialKey key, String appid, String platform, TokenMode mode,
                           boolean enabled) {
}
