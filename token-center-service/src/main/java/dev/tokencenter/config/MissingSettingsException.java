package dev.tokencenter.config;

import java.util.List;

public class MissingSettingsException extends RuntimeException {

    private final List<String> missing;

    public MissingSettingsException(List<String> missing) {
        super("Token Center cannot start: missing settings " + String.join(", ", missing)
                + ". Set them (see README, 'Production configuration'), or start dev mode for a local trial.");
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
