package dev.tokencenter.admin;

import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.EnvironmentView;
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
@RequestMapping("/admin/api/tenants/{tenant}/apps/{app}/envs")
@Tag(name = "Environments")
class EnvironmentController {

    private final EnvironmentService environments;

    EnvironmentController(EnvironmentService environments) {
        this.environments = environments;
    }

    @PutMapping("/{env}")
    @Operation(summary = "Create (201) or update (200) an environment and its credential (OPERATOR)",
            description = "appid holds the WeCom corp id for WeCom apps. On update, omitted fields keep their value"
                    + " (secret included); an empty agent_id clears it. An identical PUT changes nothing.")
    Mono<ResponseEntity<EnvironmentView>> put(@PathVariable String tenant, @PathVariable String app,
                                              @PathVariable String env, @RequestBody EnvironmentSpec body,
                                              Principal principal) {
        return Blocking.call(() -> environments.putEnvironment(principal.getName(), tenant, app, env, body))
                .map(result -> ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(result.environment()));
    }

    @PostMapping("/{env}/secret")
    @Operation(summary = "Rotate the secret (OPERATOR): bumps credential_version and rotated_at")
    Mono<EnvironmentView> rotate(@PathVariable String tenant, @PathVariable String app, @PathVariable String env,
                                 @RequestBody Requests.RotateSecret body, Principal principal) {
        return Blocking.call(() -> environments.rotateSecret(principal.getName(), tenant, app, env, body.secret()));
    }

    @GetMapping
    @Operation(summary = "List the app's environments (VIEWER); secrets show only secret_hint and rotated_at")
    Mono<List<EnvironmentView>> list(@PathVariable String tenant, @PathVariable String app) {
        return Blocking.call(() -> environments.listEnvironments(tenant, app));
    }

    @GetMapping("/{env}")
    @Operation(summary = "One environment (VIEWER)")
    Mono<EnvironmentView> get(@PathVariable String tenant, @PathVariable String app, @PathVariable String env) {
        return Blocking.call(() -> environments.getEnvironment(tenant, app, env));
    }

    @DeleteMapping("/{env}")
    @Operation(summary = "Delete an environment (OPERATOR); 409 while it is production and enabled")
    Mono<ResponseEntity<Void>> delete(@PathVariable String tenant, @PathVariable String app, @PathVariable String env,
                                      Principal principal) {
        return Blocking.run(() -> environments.deleteEnvironment(principal.getName(), tenant, app, env))
                .then(Mono.just(ResponseEntity.noContent().build()));
    }
}
