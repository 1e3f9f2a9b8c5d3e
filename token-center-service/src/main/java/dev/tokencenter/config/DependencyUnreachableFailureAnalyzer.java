package dev.tokencenter.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DependencyUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<DependencyUnreachableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DependencyUnreachableException cause) {
        return new FailureAnalysis(
                "Token Center cannot start: " + cause.getMessage() + ".",
                "Check that " + cause.dependency() + " runs and that this instance can reach " + cause.addresses()
                        + " (address, port, firewall, DNS). To wait longer at start-up, raise "
                        + DependencyWait.LIMIT + " (TOKEN_CENTER_STARTUP_DEPENDENCY_WAIT).",
                cause);
    }
}
