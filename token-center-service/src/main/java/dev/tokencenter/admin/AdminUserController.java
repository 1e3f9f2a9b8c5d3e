package dev.tokencenter.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.security.Principal;
import java.util.List;

@RestController
@RequestMapping("/admin/api/admin-users")
@Tag(name = "Admin users")
class AdminUserController {

    private final AdminUserService users;

    AdminUserController(AdminUserService users) {
        this.users = users;
    }

    @PostMapping
    @Operation(summary = "Create an admin user (ADMIN); role is VIEWER, OPERATOR or ADMIN; password 12 to 128 characters")
    Mono<ResponseEntity<AdminUserView>> create(@RequestBody Requests.CreateAdminUser body, Principal principal) {
        return Blocking.call(() -> users.createAdminUser(principal.getName(), body.username(), body.password(), body.role()))
                .map(user -> ResponseEntity.created(URI.create("/admin/api/admin-users/" + user.username())).body(user));
    }

    @GetMapping
    @Operation(summary = "List admin users (ADMIN)")
    Mono<List<AdminUserView>> list() {
        return Blocking.call(users::listAdminUsers);
    }

    @PatchMapping("/{username}")
    @Operation(summary = "Change an admin user's role (ADMIN); not your own, not the last ADMIN's")
    Mono<AdminUserView> changeRole(@PathVariable String username, @RequestBody Requests.ChangeRole body,
                                   Principal principal) {
        return Blocking.call(() -> users.changeRole(principal.getName(), username, body.role()));
    }

    @DeleteMapping("/{username}")
    @Operation(summary = "Delete an admin user (ADMIN); not yourself, not the last ADMIN")
    Mono<ResponseEntity<Void>> delete(@PathVariable String username, Principal principal) {
        return Blocking.run(() -> users.deleteAdminUser(principal.getName(), username))
                .then(Mono.just(ResponseEntity.noContent().build()));
    }
}
