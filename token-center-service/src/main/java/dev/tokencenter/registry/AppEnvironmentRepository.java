package dev.tokencenter.registry;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface AppEnvironmentRepository extends JpaRepository<AppEnvironment, Long> {

    Optional<AppEnvironment> findByAppIdAndName(Long appId, String name);

    /** The row locked for the rest of the transaction, so concurrent writes to one environment run one after another. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select e from AppEnvironment e where e.appId = ?1 and e.name = ?2")
    Optional<AppEnvironment> lockByAppIdAndName(Long appId, String name);

    List<AppEnvironment> findByAppIdOrderByNameAsc(Long appId);

    List<AppEnvironment> findByAppIdIn(List<Long> appIds);
}
