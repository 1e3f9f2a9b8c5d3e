package dev.tokencenter.admin;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.crypto.MasterKeyRewrap;
import dev.tokencenter.crypto.RewrapReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/admin/api/keys")
@Tag(name = "Master keys")
class KeyController {

    private final EnvelopeCipher cipher;
    private final MasterKeyRewrap rewrap;
    private final AuditLog audit;

    KeyController(EnvelopeCipher cipher, MasterKeyRewrap rewrap, AuditLog audit) {
        this.cipher = cipher;
        this.rewrap = rewrap;
        this.audit = audit;
    }

    record KeyStatus(String activeKeyId, List<String> keyIds, Map<String, Map<String, Long>> remaining) {
    }

    @GetMapping
    @Operation(summary = "The master key ids (never key material) and the rows not yet on the active key (ADMIN)")
    Mono<KeyStatus> status() {
        return Blocking.call(() -> new KeyStatus(cipher.ring().activeKeyId(), cipher.ring().keyIds(),
                rewrap.remaining(cipher.ring().activeKeyId())));
    }

    @PostMapping("/rewrap")
    @Operation(summary = "Move every credential secret and stored token to the active master key now (ADMIN)",
            description = "Rows that cannot be opened are listed in failures by name and left unchanged.")
    Mono<RewrapReport> rewrap(Principal principal) {
        return Blocking.call(() -> {
            RewrapReport report = rewrap.rewrapAll();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("active_key_id", report.activeKeyId());
            details.put("credentials_rewrapped", report.credentialsRewrapped());
            details.put("tokens_rewrapped", report.tokensRewrapped());
            details.put("failures", report.failures().stream().map(RewrapReport.Failure::row).toList());
            audit.record(principal.getName(), "keys.rewrap", null, "master-keys",
                    report.failures().isEmpty() ? AuditOutcome.SUCCESS : AuditOutcome.FAILED, details);
            return report;
        });
    }
}
