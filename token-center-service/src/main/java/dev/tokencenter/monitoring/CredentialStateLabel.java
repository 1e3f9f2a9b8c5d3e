package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.EnvironmentReading;

/** The {@code state} label of the credential gauges. */
enum CredentialStateLabel {
    OK, REFRESHING, RETRYING, PAUSED, STOPPED, DISABLED, NONE;

    static CredentialStateLabel of(EnvironmentReading reading) {
        if (!reading.enabled()) {
            return DISABLED;
        }
        return switch (reading.state()) {
            case OK -> OK;
            case REFRESHING -> REFRESHING;
            case RETRYING -> RETRYING;
            case PAUSED -> PAUSED;
            case STOPPED -> STOPPED;
            case NO_TOKEN -> NONE;
        };
    }

    /** STOPPED or PAUSED: an operator should look; the instance stays in rotation. */
    boolean needsAttention() {
        return this == STOPPED || this == PAUSED;
    }
}
