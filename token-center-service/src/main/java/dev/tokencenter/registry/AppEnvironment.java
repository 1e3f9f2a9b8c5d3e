package dev.tokencenter.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A named deployment of an app (table {@code environment}); its AppID and secret live in {@link Credential}. */
@Entity
@Table(name = "environment")
class AppEnvironment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "app_id", nullable = false, updatable = false)
    private Long appId;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(nullable = false)
    private boolean production;

    @Column(nullable = false)
    private boolean enabled;

    @Enumerated(EnumType.STRING)
    @Column(name = "token_mode", nullable = false)
    private TokenMode tokenMode;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected AppEnvironment() {
    }

    AppEnvironment(Long appId, String name, boolean production, boolean enabled, TokenMode tokenMode, Instant now) {
        this.appId = appId;
        this.name = name;
        this.production = production;
        this.enabled = enabled;
        this.tokenMode = tokenMode;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void update(boolean production, boolean enabled, TokenMode tokenMode, Instant now) {
        this.production = production;
        this.enabled = enabled;
        this.tokenMode = tokenMode;
        this.updatedAt = now;
    }

    Long id() {
        return id;
    }

    Long appId() {
        return appId;
    }

    String name() {
        return name;
    }

    boolean production() {
        return production;
    }

    boolean enabled() {
        return enabled;
    }

    TokenMode tokenMode() {
        return tokenMode;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
