package dev.tokencenter.registry;

/** What a PUT of an environment did: created it, changed it, or nothing (an identical PUT). */
public record EnvironmentPutResult(EnvironmentView environment, boolean created, boolean changed) {
}
