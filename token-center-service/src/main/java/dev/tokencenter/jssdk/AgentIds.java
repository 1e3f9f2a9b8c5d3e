package dev.tokencenter.jssdk;

import dev.tokencenter.refresh.CatalogEntry;

/**
 * The WeCom agent id of a credential, when its environment names one: the upstream key of such a credential is
 * {@code wecom:<corpid>:agent-<agent_id>} (see {@code registry.UpstreamKey}); without one it ends in
 * {@code env-<environment_id>} and the agent id is unknown here.
 */
final class AgentIds {

    private static final String AGENT = ":agent-";

    private AgentIds() {
    }

    static String of(CatalogEntry entry) {
        String key = entry.upstreamKey();
        int at = key == null ? -1 : key.lastIndexOf(AGENT);
        return at < 0 ? null : key.substring(at + AGENT.length());
    }
}
