package dev.tokencenter.admin;

import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.web.EventLoopResponses;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The live side of the admin UI: the event stream ({@code GET /admin/api/events}, server-sent events resumable on any
 * instance with {@code Last-Event-ID}) and each environment's refresh history.
 */
@RestController
@Tag(name = "Events")
class AdminEventController {

    record History(String tenant, String app, String env, long environmentId, List<JsonNode> entries) {
    }

    private static final ServerSentEvent<String> END = ServerSentEvent.<String>builder().comment("end").build();

    private final AdminEventHub hub;
    private final AdminEventLog eventLog;
    private final AdminEventProperties properties;
    private final RefreshHistory history;
    private final CredentialCatalog catalog;
    private final AdminUserDetailsService users;

    AdminEventController(AdminEventHub hub, AdminEventLog eventLog, AdminEventProperties properties,
                         RefreshHistory history, CredentialCatalog catalog, AdminUserDetailsService users) {
        this.users = users;
        this.hub = hub;
        this.eventLog = eventLog;
        this.properties = properties;
        this.history = history;
        this.catalog = catalog;
    }

    @GetMapping(path = "/admin/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live admin events as server-sent events (VIEWER): refresh, credential, client and admin-user"
            + " changes the caller's role may see",
            description = "Each event's id is a stream id; reconnecting with Last-Event-ID (EventSource does this by"
                    + " itself) first sends the events missed since then, on any instance. A comment line every"
                    + " heartbeat keeps proxies from closing the stream. Never carries a token, secret or key.")
    Flux<ServerSentEvent<String>> events(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                         Authentication authentication, ServerHttpResponse response) {
        response.getHeaders().set("X-Accel-Buffering", "no");
        AdminRole role = highestRole(authentication);
        AdminEventHub.Subscription subscription = hub.subscribe(role);
        Flux<AdminEvent> events = AdminEvent.isId(lastEventId)
                ? eventLog.after(lastEventId, properties.replayLimit()).flatMapMany(missed -> {
                    String resumeAfter = missed.isEmpty() ? lastEventId : missed.get(missed.size() - 1).id();
                    return Flux.fromIterable(missed)
                            .concatWith(subscription.events().filter(e -> AdminEvent.compareIds(e.id(), resumeAfter) > 0));
                })
                : subscription.events();
        Flux<ServerSentEvent<String>> data = events
                .filter(event -> role.ordinal() >= event.audience().ordinal())
                .map(event -> ServerSentEvent.builder(event.data()).id(event.id()).event(event.type()).build());
        ServerSentEvent<String> heartbeat = ServerSentEvent.<String>builder().comment("heartbeat").build();
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(properties.heartbeat())
                .concatMap(tick -> stillAllowed(authentication.getName(), role))
                .map(allowed -> allowed ? heartbeat : END);
        ServerSentEvent<String> hello = ServerSentEvent.<String>builder().comment("connected")
                .retry(Duration.ofSeconds(3)).build();
        return Flux.just(hello).concatWith(Flux.merge(data, heartbeats))
                .takeWhile(event -> event != END)
                .transform(EventLoopResponses::onConnectionLoop)
                .doFinally(signal -> subscription.cancel());
    }

    /** At every heartbeat: a deleted or disabled user, or one whose role changed, loses the stream. */
    private Mono<Boolean> stillAllowed(String username, AdminRole role) {
        return users.findByUsername(username)
                .map(user -> user.isEnabled() && user.isAccountNonLocked() && highestRole(user.getAuthorities()) == role)
                .defaultIfEmpty(false)
                .onErrorReturn(true); // the database is not answering: keep the stream, the next heartbeat checks again
    }

    @GetMapping("/admin/api/tenants/{tenant}/apps/{app}/envs/{env}/history")
    @Operation(summary = "The environment's last refresh outcomes, newest first (VIEWER)")
    Mono<ResponseEntity<?>> history(@PathVariable String tenant, @PathVariable String app, @PathVariable String env) {
        CredentialKey key = new CredentialKey(tenant, app, env);
        return catalog.find(key)
                .<Mono<ResponseEntity<?>>>map(entry -> history.read(entry.environmentId())
                        .transform(EventLoopResponses::onConnectionLoop)
                        .map(entries -> ResponseEntity.ok(new History(tenant, app, env, entry.environmentId(), entries))))
                .orElseGet(() -> Mono.just(Problem.of(ProblemType.CREDENTIAL_NOT_FOUND, "no credential " + key).toEntity(null)));
    }

    static AdminRole highestRole(Authentication authentication) {
        return highestRole(authentication.getAuthorities());
    }

    static AdminRole highestRole(Collection<? extends GrantedAuthority> authorities) {
        AdminRole highest = AdminRole.VIEWER;
        for (GrantedAuthority authority : authorities) {
            for (AdminRole role : AdminRole.values()) {
                if (authority.getAuthority().equals("ROLE_" + role.name()) && role.ordinal() > highest.ordinal()) {
                    highest = role;
                }
            }
        }
        return highest;
    }
}
