package dev.tokencenter.admin;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.registry.TransactionalChanges;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.NotFoundException;
import dev.tokencenter.web.Validator;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Admin users. Passwords are stored only as adaptive hashes. Blocking (JPA): call from a bounded-elastic thread. */
@Service
public class AdminUserService {

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 128;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,62}");

    private final AdminUserRepository users;
    private final PasswordEncoder passwords;
    private final TransactionalChanges changes;
    private final AuditLog audit;

    AdminUserService(AdminUserRepository users, PasswordEncoder passwords, TransactionalChanges changes, AuditLog audit) {
        this.users = users;
        this.passwords = passwords;
        this.changes = changes;
        this.audit = audit;
    }

    public AdminUserView createAdminUser(String actor, String username, String password, String role) {
        AdminRole parsed = validate(username, password, role);
        String hash = passwords.encode(password);
        return changes.run(events -> {
            if (users.existsById(username)) {
                throw new ConflictException("admin user '" + username + "' already exists");
            }
            AdminUser user = users.saveAndFlush(new AdminUser(username, hash, parsed, Instant.now()));
            audit.record(actor, "admin-user.create", null, "admin-user/" + username, AuditOutcome.SUCCESS,
                    Map.of("role", parsed.name()));
            events.add(new AdminUserChangedEvent(username, "CREATED", parsed));
            return AdminUserView.of(user);
        });
    }

    /** Creates the user unless one with that name exists (whose password and role are then left alone). */
    public boolean ensureAdminUser(String actor, String username, String password, AdminRole role) {
        validate(username, password, role == null ? null : role.name());
        String hash = passwords.encode(password);
        try {
            return changes.run(events -> {
                if (users.existsById(username)) {
                    return false;
                }
                users.saveAndFlush(new AdminUser(username, hash, role, Instant.now()));
                audit.record(actor, "admin-user.create", null, "admin-user/" + username, AuditOutcome.SUCCESS,
                        Map.of("role", role.name()));
                return true;
            });
        } catch (DataIntegrityViolationException e) {
            return false; // created at the same moment by another instance
        }
    }

    public boolean anyEnabledAdmin() {
        return changes.read(() -> users.countByRoleAndEnabledTrue(AdminRole.ADMIN) > 0);
    }

    public List<AdminUserView> listAdminUsers() {
        return changes.read(() -> users.findAllByOrderByUsernameAsc().stream().map(AdminUserView::of).toList());
    }

    /** Deletes the user; the last enabled ADMIN cannot be deleted, nor can users delete themselves. */
    public void deleteAdminUser(String actor, String username) {
        changes.run(events -> {
            AdminUser user = users.findById(username)
                    .orElseThrow(() -> new NotFoundException("no admin user '" + username + "'"));
            if (username.equals(actor)) {
                throw new ConflictException("admin users cannot delete themselves");
            }
            if (user.role() == AdminRole.ADMIN && user.enabled() && users.countByRoleAndEnabledTrue(AdminRole.ADMIN) <= 1) {
                throw new ConflictException("'" + username + "' is the last enabled ADMIN");
            }
            users.delete(user);
            users.flush();
            audit.record(actor, "admin-user.delete", null, "admin-user/" + username, AuditOutcome.SUCCESS,
                    Map.of("role", user.role().name()));
            events.add(new AdminUserChangedEvent(username, "DELETED", user.role()));
            return null;
        });
    }

    /** Changes the user's role; the last enabled ADMIN keeps the role, and nobody changes their own. */
    public AdminUserView changeRole(String actor, String username, String role) {
        AdminRole parsed = parseRole(new Validator(), role);
        return changes.run(events -> {
            AdminUser user = users.findById(username)
                    .orElseThrow(() -> new NotFoundException("no admin user '" + username + "'"));
            if (user.role() == parsed) {
                return AdminUserView.of(user);
            }
            if (username.equals(actor)) {
                throw new ConflictException("admin users cannot change their own role");
            }
            if (user.role() == AdminRole.ADMIN && user.enabled() && users.countByRoleAndEnabledTrue(AdminRole.ADMIN) <= 1) {
                throw new ConflictException("'" + username + "' is the last enabled ADMIN");
            }
            AdminRole before = user.role();
            user.changeRole(parsed);
            users.saveAndFlush(user);
            audit.record(actor, "admin-user.role", null, "admin-user/" + username, AuditOutcome.SUCCESS,
                    Map.of("from", before.name(), "to", parsed.name()));
            events.add(new AdminUserChangedEvent(username, "ROLE_CHANGED", parsed));
            return AdminUserView.of(user);
        });
    }

    /** For authentication: the user as stored, hash included. */
    Optional<AdminUser> findForLogin(String username) {
        return changes.read(() -> users.findById(username));
    }

    private static AdminRole validate(String username, String password, String role) {
        Validator validator = new Validator();
        if (username == null || username.isEmpty()) {
            validator.reject("username", "is required");
        } else if (!USERNAME.matcher(username).matches()) {
            validator.reject("username", "must match [a-z0-9][a-z0-9._@-]{0,62}");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            validator.reject("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        } else if (password.length() > MAX_PASSWORD_LENGTH) {
            validator.reject("password", "must have at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        return parseRole(validator, role);
    }

    private static AdminRole parseRole(Validator validator, String role) {
        AdminRole parsed = null;
        if (role == null || role.isEmpty()) {
            validator.reject("role", "is required (one of " + Arrays.toString(AdminRole.values()) + ")");
        } else {
            try {
                parsed = AdminRole.valueOf(role);
            } catch (IllegalArgumentException e) {
                validator.reject("role", "must be one of " + Arrays.toString(AdminRole.values()));
            }
        }
        validator.throwIfInvalid();
        return parsed;
    }
}
