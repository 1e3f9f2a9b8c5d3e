package dev.tokencenter.audit;

public enum AuditOutcome { SUCCESS, DENIED, FAILED }
