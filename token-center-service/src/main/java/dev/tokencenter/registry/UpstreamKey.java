package dev.tokencenter.registry;

import java.util.Locale;

/**
 * The identity of an upstream credential, the unit WeChat issues tokens for: every environment whose credential has
 * the same key shares one token, one refresh lock, one fence and one quota count.
 * <ul>
 *   <li>WeChat platforms: {@code wechat:<appid>:classic} or {@code wechat:<appid>:stable}. Classic and stable tokens
 *       are separate streams upstream (one never invalidates the other), so they are separate units.</li>
 *   <li>WeCom: {@code wecom:<corpid>:agent-<agent_id>}; without an agent id the secret alone tells apps of one corp
 *       apart, and it is never part of a key, so such an environment is a unit of its own:
 *       {@code wecom:<corpid>:env-<environment_id>}.</li>
 * </ul>
 * Migration V2 computes the same keys in SQL for the rows that existed before it.
 */
public final class UpstreamKey {

    private UpstreamKey() {
    }

    /** @param platform WECHAT_MINIPROGRAM, WECHAT_OFFICIAL_ACCOUNT or WECOM; @param tokenMode STABLE or CLASSIC */
    public static String of(String platform, String tokenMode, String appid, String agentId, long environmentId) {
        if (Platform.WECOM.name().equals(platform)) {
            return "wecom:" + appid + ":" + (agentId == null || agentId.isEmpty() ? "env-" + environmentId : "agent-" + agentId);
        }
        return "wechat:" + appid + ":" + tokenMode.toLowerCase(Locale.ROOT);
    }
}
