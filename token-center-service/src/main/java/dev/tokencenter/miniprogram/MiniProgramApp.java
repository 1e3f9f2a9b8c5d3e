package dev.tokencenter.miniprogram;

import dev.tokencenter.registry.CredentialKey;

/** An enabled mini program environment: its row, its address and its AppID (no secret). */
record MiniProgramApp(long environmentId, CredentialKey key, String appid) {
}
