package dev.tokencenter.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingsException cause) {
        return new FailureAnalysis(
                "Token Center is not configured. Missing: " + String.join(", ", cause.missing()),
                "Provide the missing settings as environment variables (see the README's production configuration table),"
                        + " or run dev mode, which starts embedded PostgreSQL, Redis and a WeChat simulator.",
                cause);
    }
}
