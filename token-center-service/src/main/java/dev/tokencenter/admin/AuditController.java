package dev.tokencenter.admin;

import dev.tokencenter.audit.AuditPage;
import dev.tokencenter.audit.AuditQuery;
import dev.tokencenter.web.InvalidInputException;
import dev.tokencenter.web.Validator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

@RestController
@RequestMapping("/admin/api/audit")
@Tag(name = "Audit")
class AuditController {

    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,62}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,62}");

    private final AuditQuery audit;

    AuditController(AuditQuery audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Audit events, newest first (VIEWER)",
            description = "tenant: only that tenant's events; actor: only that actor's; action: one action"
                    + " (client.create) or a prefix ending in a dot (client.); since / until: ISO-8601 instants, e.g."
                    + " 2026-01-31T00:00:00Z (until exclusive); page: 0-based; size: 1 to 200, default 50")
    Mono<AuditPage> list(@RequestParam(required = false) String tenant, @RequestParam(required = false) String actor,
                         @RequestParam(required = false) String action, @RequestParam(required = false) String since,
                         @RequestParam(required = false) String until,
                         @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        Validator validator = new Validator();
        if (tenant != null) {
            validator.slug("tenant", tenant);
        }
        if (actor != null && !PRINTABLE.matcher(actor).matches()) {
            validator.reject("actor", "must be 1 to 63 printable ASCII characters");
        }
        if (action != null && !ACTION.matcher(action).matches()) {
            validator.reject("action", "must be an action such as client.create, or a prefix such as client.");
        }
        Instant sinceInstant = instant(validator, "since", since);
        Instant untilInstant = instant(validator, "until", until);
        int pageNumber = number(validator, "page", page, 0, 0, 1_000_000);
        int pageSize = number(validator, "size", size, AuditQuery.PAGE_SIZE, 1, 200);
        try {
            validator.throwIfInvalid();
        } catch (InvalidInputException e) {
            return Mono.error(e);
        }
        AuditQuery.Filter filter = new AuditQuery.Filter(tenant, actor, action, sinceInstant, untilInstant);
        return Blocking.call(() -> audit.page(filter, pageNumber, pageSize));
    }

    private static Instant instant(Validator validator, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            validator.reject(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
            return null;
        }
    }

    private static int number(Validator validator, String field, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        validator.reject(field, "must be a whole number from " + min + " to " + max);
        return absent;
    }
}
