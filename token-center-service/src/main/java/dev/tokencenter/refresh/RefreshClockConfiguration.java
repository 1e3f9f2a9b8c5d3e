package dev.tokencenter.refresh;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The engine's clock, a bean so that tests can move it together with the simulator's clock. */
@Configuration(proxyBeanMethods = false)
class RefreshClockConfiguration {

    @Bean
    Clock tokenCenterClock() {
        return Clock.systemUTC();
    }
}
