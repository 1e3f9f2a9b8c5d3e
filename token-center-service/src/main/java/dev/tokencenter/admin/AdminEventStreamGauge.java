package dev.tokencenter.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** {@code tokencenter_sse_subscribers}: the admin event streams open on this instance. */
@Component
class AdminEventStreamGauge implements MeterBinder {

    private final AdminEventHub hub;

    AdminEventStreamGauge(AdminEventHub hub) {
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tokencenter.sse.subscribers", hub, AdminEventHub::subscribers)
                .description("Open admin event streams (server-sent events) on this instance")
                .register(registry);
    }
}
