package dev.tokencenter.registry;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

interface CredentialRepository extends JpaRepository<Credential, Long> {

    List<Credential> findByEnvironmentIdIn(List<Long> environmentIds);
}
