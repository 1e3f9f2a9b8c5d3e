package dev.tokencenter.admin;

import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TenantView;
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
@RequestMapping("/admin/api/tenants")
@Tag(name = "Tenants")
class TenantController {

    private final TenantService tenants;

    TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    @PostMapping
    @Operation(summary = "Create a tenant (OPERATOR)")
    Mono<ResponseEntity<TenantView>> create(@RequestBody Requests.CreateTenant body, Principal principal) {
        return Blocking.call(() -> tenants.createTenant(principal.getName(), body.id(), body.name()))
                .map(tenant -> ResponseEntity.created(URI.create("/admin/api/tenants/" + tenant.id())).body(tenant));
    }

    @GetMapping
    @Operation(summary = "List tenants (VIEWER)")
    Mono<List<TenantView>> list() {
        return Blocking.call(tenants::listTenants);
    }

    @PatchMapping("/{tenant}")
    @Operation(summary = "Rename a tenant (OPERATOR); its id stays")
    Mono<TenantView> rename(@PathVariable String tenant, @RequestBody Requests.Rename body, Principal principal) {
        return Blocking.call(() -> tenants.renameTenant(principal.getName(), tenant, body.name()));
    }

    @DeleteMapping("/{tenant}")
    @Operation(summary = "Delete a tenant without apps or active API clients (OPERATOR); 409 says what to remove first")
    Mono<ResponseEntity<Void>> delete(@PathVariable String tenant, Principal principal) {
        return Blocking.call(() -> {
            tenants.deleteTenant(principal.getName(), tenant);
            return true;
        }).map(deleted -> ResponseEntity.noContent().build());
    }

    @GetMapping("/{tenant}")
    @Operation(summary = "One tenant (VIEWER)")
    Mono<TenantView> get(@PathVariable String tenant) {
        return Blocking.call(() -> tenants.getTenant(tenant));
    }
}
