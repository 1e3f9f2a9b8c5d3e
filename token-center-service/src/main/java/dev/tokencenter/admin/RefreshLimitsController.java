package dev.tokencenter.admin;

import dev.tokencenter.refresh.RefreshProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The daily limits the dashboard measures quota use and the force-refresh budget against. */
@RestController
@Tag(name = "Refresh")
class RefreshLimitsController {

    record Limits(int forceRefreshDailyLimit, int forceRefreshOperatorReserve, long classicDailyLimit,
                  long stableDailyLimit, long wecomDailyLimit) {
    }

    private final RefreshProperties properties;

    RefreshLimitsController(RefreshProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/admin/api/refresh-limits")
    @Operation(summary = "Daily call limits per credential: token endpoints and stable-mode force_refresh (VIEWER)")
    Mono<Limits> limits() {
        return Mono.just(new Limits(properties.forceRefreshDailyLimit(), properties.forceRefreshOperatorReserve(),
                properties.classicDailyLimit(), properties.stableDailyLimit(), properties.wecomDailyLimit()));
    }
}
