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

@Entity
@Table(name = "app")
class App {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false, updatable = false)
    private String slug;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private Platform platform;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected App() {
    }

    App(String tenantId, String slug, String name, Platform platform, Instant createdAt) {
        this.tenantId = tenantId;
        this.slug = slug;
        this.name = name;
        this.platform = platform;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    String tenantId() {
        return tenantId;
    }

    String slug() {
        return slug;
    }

    String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    Platform platform() {
        return platform;
    }

    Instant createdAt() {
        return createdAt;
    }
}
