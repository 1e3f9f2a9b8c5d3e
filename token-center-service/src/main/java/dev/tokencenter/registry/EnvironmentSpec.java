package dev.tokencenter.registry;

/**
 * The desired state of an environment (the body of {@code PUT .../envs/{env}}). On create {@code appid} and
 * {@code secret} are required, {@code production} defaults to false, {@code enabled} to true and {@code tokenMode} to
 * STABLE (WeChat platforms only). On update every null field keeps its current value; an empty {@code agentId} clears it.
 * {@code tokenMode} is a string so that a bad value is reported as a field error.
 */
public record EnvironmentSpec(String appid, String secret, Boolean production, String tokenMode, Boolean enabled,
                              String agentId) {

    /** For callers in code (dev mode, tests). */
    public static EnvironmentSpec of(String appid, String secret, boolean production, TokenMode tokenMode,
                                     boolean enabled, String agentId) {
        return new EnvironmentSpec(appid, secret, production, tokenMode == null ? null : tokenMode.name(), enabled, agentId);
    }

    @Override
    public String toString() {
        return "EnvironmentSpec[appid=" + appid + ", secret=" + (secret == null ? "absent" : "[hidden]")
                + ", production=" + production + ", tokenMode=" + tokenMode + ", enabled=" + enabled
                + ", agentId=" + agentId + "]";
    }
}
