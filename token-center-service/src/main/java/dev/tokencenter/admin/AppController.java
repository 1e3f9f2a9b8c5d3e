package dev.tokencenter.admin;

import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.AppView;
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
@RequestMapping("/admin/api/tenants/{tenant}/apps")
@Tag(name = "Apps")
class AppController {

    private final AppService apps;

    AppController(AppService apps) {
        this.apps = apps;
    }

    @PostMapping
    @Operation(summary = "Create an app (OPERATOR); platform is WECHAT_MINIPROGRAM, WECHAT_OFFICIAL_ACCOUNT or WECOM")
    Mono<ResponseEntity<AppView>> create(@PathVariable String tenant, @RequestBody Requests.CreateApp body,
                                         Principal principal) {
        return Blocking.call(() -> apps.createApp(principal.getName(), tenant, body.id(), body.name(), body.platform()))
                .map(app -> ResponseEntity.created(URI.create("/admin/api/tenants/" + tenant + "/apps/" + app.id())).body(app));
    }

    @GetMapping
    @Operation(summary = "List the tenant's apps with their environments (VIEWER)")
    Mono<List<AppView>> list(@PathVariable String tenant) {
        return Blocking.call(() -> apps.listApps(tenant));
    }

    @GetMapping("/{app}")
    @Operation(summary = "One app with its environments (VIEWER)")
    Mono<AppView> get(@PathVariable String tenant, @PathVariable String app) {
        return Blocking.call(() -> apps.getApp(tenant, app));
    }

    @PatchMapping("/{app}")
    @Operation(summary = "Rename an app (OPERATOR); its id and platform stay")
    Mono<AppView> rename(@PathVariable String tenant, @PathVariable String app, @RequestBody Requests.Rename body,
                         Principal principal) {
        return Blocking.call(() -> apps.renameApp(principal.getName(), tenant, app, body.name()));
    }

    @DeleteMapping("/{app}")
    @Operation(summary = "Delete an app, its environments and credentials (OPERATOR); 409 while a production environment is enabled")
    Mono<ResponseEntity<Void>> delete(@PathVariable String tenant, @PathVariable String app, Principal principal) {
        return Blocking.run(() -> apps.deleteApp(principal.getName(), tenant, app))
                .then(Mono.just(ResponseEntity.noContent().build()));
    }
}
