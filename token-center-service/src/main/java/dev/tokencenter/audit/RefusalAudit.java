package dev.tokencenter.audit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes refused admin requests to the audit log (action {@value #ACTION}, outcome DENIED), rate-limited per
 * instance so that a flood cannot fill the table: see {@link RefusalAuditProperties}. Refusals left out are counted
 * and written as one summary ({@value #SUMMARY_ACTION}) when the window ends. Never blocks the caller: records are
 * written on a bounded-elastic thread; a failed write is logged, not retried.
 */
@Component
public class RefusalAudit {

    public static final String ACTION = "admin.request.refused";
    public static final String SUMMARY_ACTION = "admin.request.refused.summary";
    static final String ANONYMOUS = "anonymous";
    private static final int MAX_USERNAME = 63;
    private static final int MAX_PATH = 200;
    private static final Logger log = LoggerFactory.getLogger(RefusalAudit.class);

    private final AuditLog audit;
    private final RefusalAuditProperties properties;
    private final Disposable windows;
    private RefusalWindow window;

    RefusalAudit(AuditLog audit, RefusalAuditProperties properties) {
        this.audit = audit;
        this.properties = properties;
        this.window = new RefusalWindow(properties, System.currentTimeMillis());
        this.windows = Flux.interval(properties.window(), properties.window())
                .onBackpressureDrop()
                .subscribe(tick -> closeWindow());
    }

    public void record(RefusedRequest refusal) {
        boolean admitted;
        synchronized (this) {
            admitted = window.admit(refusal.address(), refusal.reason());
        }
        if (!admitted) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", refusal.status());
        details.put("reason", refusal.reason());
        details.put("address", refusal.address());
        write(sanitize(refusal.username(), MAX_USERNAME, ANONYMOUS), ACTION,
                sanitize(refusal.method(), 10, "?") + " " + sanitize(refusal.path(), MAX_PATH, "/"), details);
    }

    private void closeWindow() {
        RefusalWindow closed;
        synchronized (this) {
            closed = window;
            window = new RefusalWindow(properties, System.currentTimeMillis());
        }
        if (closed.suppressed() > 0) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("suppressed", closed.suppressed());
            details.put("by_reason", closed.suppressedByReason());
            details.put("from", Instant.ofEpochMilli(closed.startedAtMillis()).toString());
            details.put("to", Instant.now().toString());
            write("token-center", SUMMARY_ACTION, "/admin/**", details);
        }
    }

    private void write(String actor, String action, String target, Map<String, Object> details) {
        Mono.fromRunnable(() -> audit.record(actor, action, null, target, AuditOutcome.DENIED, details))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(null, error -> log.warn("Could not audit a refused admin request: {}", error.toString()));
    }

    /** Printable ASCII only (others become '?'), at most {@code max} characters. */
    static String sanitize(String value, int max, String absent) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        StringBuilder clean = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && clean.length() < max; i++) {
            char c = value.charAt(i);
            clean.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        if (value.length() > max) {
            clean.setCharAt(max - 1, '~');
        }
        return clean.toString();
    }

    @PreDestroy
    void stop() {
        windows.dispose();
    }
}
