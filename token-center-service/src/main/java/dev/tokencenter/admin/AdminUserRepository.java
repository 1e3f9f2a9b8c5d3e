package dev.tokencenter.admin;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

interface AdminUserRepository extends JpaRepository<AdminUser, String> {

    List<AdminUser> findAllByOrderByUsernameAsc();

    long countByRoleAndEnabledTrue(AdminRole role);
}
