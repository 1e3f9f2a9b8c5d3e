package dev.tokencenter.refresh;

/** Why a refresh was attempted. */
enum RefreshTrigger {
    SCHEDULED("scheduled"),
    FIRST_USE("first-use"),
    REPORTED("reported"),
    FORCED("forced"),
    SECRET_CHANGED("secret-changed"),
    RETRY("retry");

    private final String label;

    RefreshTrigger(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Only calls an operator asked for explicitly (forced refresh, retry) are exempt from the quota guard. */
    boolean automatic() {
        return this != FORCED && this != RETRY;
    }
}
