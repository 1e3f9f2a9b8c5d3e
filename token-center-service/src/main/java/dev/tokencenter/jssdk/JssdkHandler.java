package dev.tokencenter.jssdk;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.ClientRight;
import dev.tokencenter.refresh.CatalogEntry;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.refresh.CurrentTicket;
import dev.tokencenter.refresh.TicketKinds;
import dev.tokencenter.refresh.TicketService;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.token.TokenSource;
import dev.tokencenter.web.FieldViolation;
import dev.tokencenter.web.JsonBodyProblems;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import dev.tokencenter.wechat.TicketEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/tokens/{tenant}/{app}/{env}/jsapi-ticket} and {@code POST /v1/jssdk/{tenant}/{app}/{env}/signature}.
 * The grant is checked before anything reveals whether the credential exists (403, then 404); a usable token is made
 * sure of first (the token read path, with its first fetch and its problems), then the ticket comes from the refresh
 * engine's {@link TicketService}.
 */
@Component
class JssdkHandler {

    /** The endpoint names under which {@link ClientCallCounter} counts the calls. */
    static final String TICKET_CALL = "jssdk.ticket";
    static final String SIGNATURE_CALL = "jssdk.signature";

    private static final String MISSING_URL = "The body must be JSON with a string \"url\": the page's location.href.";

    private final CredentialCatalog catalog;
    private final TokenSource tokens;
    private final TicketService tickets;
    private final ClientCallCounter calls;
    private final JssdkProblems problems = new JssdkProblems();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    JssdkHandler(CredentialCatalog catalog, TokenSource tokens, TicketService tickets, ClientCallCounter calls,
                 ObjectProvider<Clock> clock) {
        this.catalog = catalog;
        this.tokens = tokens;
        this.tickets = tickets;
        this.calls = calls;
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    Mono<ServerResponse> ticket(ServerRequest request) {
        ClientPrincipal client = request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE);
        CredentialKey credential = credentialOf(request);
        String path = request.path();
        if (!granted(client, credential)) {
            return problems.notGranted(path, credential);
        }
        String type = request.queryParam("type").orElse(null);
        return entry(credential)
                .flatMap(entry -> {
                    TicketEndpoint kind = kindFor(entry, type);
                    if (kind == null) {
                        return Problem.of(ProblemType.INVALID_INPUT, "invalid input: type " + typeRule(entry))
                                .errors(List.of(new FieldViolation("type", typeRule(entry)))).toResponse(path);
                    }
                    return tickets.current(entry, kind).flatMap(ticket -> {
                        calls.record(client.id(), credential, TICKET_CALL);
                        return ticketResponse(entry, ticket);
                    });
                })
                .onErrorResume(JssdkProblems::isKnown, error -> problems.of(path, credential, error));
    }

    Mono<ServerResponse> signature(ServerRequest request) {
        ClientPrincipal client = request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE);
        CredentialKey credential = credentialOf(request);
        String path = request.path();
        if (!granted(client, credential)) {
            return problems.notGranted(path, credential);
        }
        return Mono.defer(() -> request.bodyToMono(SignatureRequest.class))
                .flatMap(body -> {
                    String invalid = PageUrl.problem(body.url());
                    if (invalid != null) {
                        return Problem.of(ProblemType.INVALID_INPUT, "invalid input: url " + invalid)
                                .errors(List.of(new FieldViolation("url", invalid))).toResponse(path);
                    }
                    return entry(credential).flatMap(entry -> sign(entry, body.url()))
                            .doOnNext(signed -> calls.record(client.id(), credential, SIGNATURE_CALL))
                            .onErrorResume(JssdkProblems::isKnown, error -> problems.of(path, credential, error));
                })
                .switchIfEmpty(Mono.defer(() -> Problem.of(ProblemType.INVALID_INPUT, MISSING_URL)
                        .errors(List.of(new FieldViolation("url", "is required"))).toResponse(path)))
                .onErrorResume(JsonBodyProblems::isUnreadableBody, error -> {
                    if (JsonBodyProblems.tooLarge(error)) {
                        return Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large.").toResponse(path);
                    }
                    Problem described = JsonBodyProblems.describe(error, ProblemType.INVALID_INPUT);
                    return (described != null ? described : Problem.of(ProblemType.INVALID_INPUT, MISSING_URL)).toResponse(path);
                });
    }

    /** The credential's catalog entry once it has a usable token; a mini program is refused before any upstream call. */
    private Mono<CatalogEntry> entry(CredentialKey credential) {
        CatalogEntry known = catalog.find(credential).orElse(null);
        if (known != null && TicketKinds.of(known).isEmpty()) {
            return Mono.error(new NoTicketsException(known));
        }
        return tokens.current(credential).flatMap(token -> Mono.justOrEmpty(catalog.find(credential)))
                .flatMap(entry -> TicketKinds.of(entry).isEmpty() ? Mono.error(new NoTicketsException(entry)) : Mono.just(entry));
    }

    /** Official accounts: one signature with the jsapi ticket. WeCom: wx.config with the corp ticket, wx.agentConfig with the app ticket. */
    private Mono<ServerResponse> sign(CatalogEntry entry, String url) {
        if (!TicketKinds.of(entry).contains(TicketEndpoint.CORP_JSAPI)) {
            return tickets.current(entry, TicketEndpoint.JSAPI).flatMap(ticket -> {
                Signed signed = signed(ticket, url);
                return ok(new SignatureResponse(entry.appid(), signed.timestamp(), signed.nonce(), signed.signature(), null));
            });
        }
        return tickets.current(entry, TicketEndpoint.CORP_JSAPI)
                .zipWith(tickets.current(entry, TicketEndpoint.AGENT_CONFIG))
                .flatMap(both -> {
                    Signed corp = signed(both.getT1(), url);
                    Signed agent = signed(both.getT2(), url);
                    return ok(new SignatureResponse(entry.appid(), corp.timestamp(), corp.nonce(), corp.signature(),
                            new SignatureResponse.AgentConfigSignature(entry.appid(), AgentIds.of(entry),
                                    agent.timestamp(), agent.nonce(), agent.signature())));
                });
    }

    private record Signed(long timestamp, String nonce, String signature) {
    }

    private Signed signed(CurrentTicket ticket, String url) {
        long timestamp = clock.instant().getEpochSecond();
        String nonce = JssdkSignature.nonce(random);
        return new Signed(timestamp, nonce, JssdkSignature.sign(ticket.ticket(), nonce, timestamp, url));
    }

    private static Mono<ServerResponse> ok(SignatureResponse body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .bodyValue(body);
    }

    private Mono<ServerResponse> ticketResponse(CatalogEntry entry, CurrentTicket ticket) {
        Instant now = clock.instant();
        long expiresIn = Math.max(0, Duration.between(now, ticket.expiresAt()).toSeconds());
        long maxAge = Math.max(0, Duration.between(now, ticket.expiresAt().minus(tickets.minimumLifetime())).toSeconds());
        CredentialKey key = entry.key();
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=" + maxAge)
                .bodyValue(new TicketResponse(ticket.ticket(), ticket.kind().label(), expiresIn, ticket.expiresAt(),
                        entry.appid(), key.tenant(), key.app(), key.env()));
    }

    /** Official accounts: {@code jsapi} (the default). WeCom: {@code corp_jsapi} (the default) or {@code agent_config}. */
    private static TicketEndpoint kindFor(CatalogEntry entry, String type) {
        List<TicketEndpoint> kinds = TicketKinds.of(entry);
        if (type == null || type.isEmpty()) {
            return kinds.get(0);
        }
        return kinds.stream().filter(kind -> kind.label().equals(type)).findFirst().orElse(null);
    }

    private static String typeRule(CatalogEntry entry) {
        return TicketKinds.of(entry).contains(TicketEndpoint.CORP_JSAPI)
                ? "must be corp_jsapi (the default) or agent_config for a WeCom app"
                : "must be jsapi (the default) for an official account";
    }

    private static boolean granted(ClientPrincipal client, CredentialKey credential) {
        return client != null && client.mayUse(ClientRight.JSSDK, credential.tenant(), credential.app(), credential.env());
    }

    private static CredentialKey credentialOf(ServerRequest request) {
        var variables = request.pathVariables();
        return new CredentialKey(variables.get("tenant"), variables.get("app"), variables.get("env"));
    }
}
