package dev.tokencenter.registry;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface AppRepository extends JpaRepository<App, Long> {

    Optional<App> findByTenantIdAndSlug(String tenantId, String slug);

    List<App> findByTenantIdOrderBySlugAsc(String tenantId);

    boolean existsByTenantIdAndSlug(String tenantId, String slug);

    long countByTenantId(String tenantId);
}
