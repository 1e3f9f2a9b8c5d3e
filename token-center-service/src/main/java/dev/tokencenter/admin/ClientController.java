package dev.tokencenter.admin;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ApiClientView;
import dev.tokencenter.client.CreatedClient;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.util.List;

@RestController
@RequestMapping("/admin/api/tenants/{tenant}/clients")
@Tag(name = "API clients")
class ClientController {

    private final ApiClientService clients;

    ClientController(ApiClientService clients) {
        this.clients = clients;
    }

    @PostMapping
    @Operation(summary = "Create an API client (OPERATOR); the key is in this response only",
            description = "grants: [{\"app\", \"env\"}], '*' for every app or every environment")
    Mono<ResponseEntity<CreatedClient>> create(@PathVariable String tenant, @RequestBody Requests.CreateClient body,
                                               Principal principal) {
        return Blocking.call(() -> clients.createClient(principal.getName(), tenant, body.name(), body.grants()))
                .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(created));
    }

    @GetMapping
    @Operation(summary = "List the tenant's API clients, revoked ones included (VIEWER); no keys")
    Mono<List<ApiClientView>> list(@PathVariable String tenant) {
        return Blocking.call(() -> clients.listClients(tenant));
    }

    @PutMapping("/{clientId}/grants")
    @Operation(summary = "Replace the client's grants and their rights (OPERATOR); applies at once on every instance",
            description = "grants: [{\"app\", \"env\", \"rights\"}]; 409 for a revoked client")
    Mono<ApiClientView> replaceGrants(@PathVariable String tenant, @PathVariable String clientId,
                                      @RequestBody Requests.ReplaceGrants body, Principal principal) {
        return Blocking.call(() -> clients.replaceGrants(principal.getName(), tenant, clientId, body.grants()));
    }

    @DeleteMapping("/{clientId}")
    @Operation(summary = "Revoke an API client at once (OPERATOR)")
    Mono<ResponseEntity<Void>> revoke(@PathVariable String tenant, @PathVariable String clientId, Principal principal) {
        return Blocking.call(() -> clients.revokeClient(principal.getName(), tenant, clientId))
                .map(revoked -> ResponseEntity.noContent().build());
    }
}
