package dev.tokencenter.registry;

import java.time.Instant;
import java.util.List;

/** An app with its environments; {@code id} is the app's slug within its tenant. */
public record AppView(String tenant, String id, String name, Platform platform, Instant createdAt,
                      List<EnvironmentView> environments) {
}
