package dev.tokencenter.registry;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

interface TenantRepository extends JpaRepository<Tenant, String> {

    List<Tenant> findAllByOrderByIdAsc();
}
