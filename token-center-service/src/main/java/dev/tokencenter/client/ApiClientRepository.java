package dev.tokencenter.client;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface ApiClientRepository extends JpaRepository<ApiClient, String> {

    List<ApiClient> findByTenantIdOrderByCreatedAtAscIdAsc(String tenantId);

    Optional<ApiClient> findByIdAndTenantId(String id, String tenantId);
}
