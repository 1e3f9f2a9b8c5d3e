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

@RestController
@RequestMapping("/admin/api/audit")
@Tag(name = "Audit")
class AuditController {

    private final AuditQuery audit;

    AuditController(AuditQuery audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Audit events, newest first (VIEWER)",
            description = "tenant: only that tenant's events; since: ISO-8601 instant, e.g. 2026-01-31T00:00:00Z;"
                    + " page: 0-based; size: 1 to 200, default 50")
    Mono<AuditPage> list(@RequestParam(required = false) String tenant, @RequestParam(required = false) String since,
                         @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        Validator validator = new Validator();
        if (tenant != null) {
            validator.slug("tenant", tenant);
        }
        Instant sinceInstant = null;
        if (since != null) {
            try {
                sinceInstant = Instant.parse(since);
            } catch (DateTimeParseException e) {
                validator.reject("since", "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
            }
        }
        int pageNumber = number(validator, "page", page, 0, 0, 1_000_000);
        int pageSize = number(validator, "size", size, AuditQuery.PAGE_SIZE, 1, 200);
        try {
            validator.throwIfInvalid();
        } catch (InvalidInputException e) {
            return Mono.error(e);
        }
        Instant from = sinceInstant;
        return Blocking.call(() -> audit.page(tenant, from, pageNumber, pageSize));
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
