package dev.tokencenter.refresh;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The engine's clock, a bean so that tests can move it together with the simulator's clock. */
@Configuration(proxyBeanMethods = false)
class RefreshClockConfiguration {

    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock tokenCenterClock() {
        return Clock.systemUTC();
    }
}
