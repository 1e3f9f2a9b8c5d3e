package dev.tokencenter.admin;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The admin event stream ({@code token-center.admin.events.*}).
 *
 * @param heartbeat        a comment line is sent this often, so proxies keep an idle stream open
 * @param maxLength        the Redis stream keeps about this many events (older ones cannot be resumed from)
 * @param subscriberBuffer events held for one slow browser; beyond it that browser's stream ends (it reconnects and
 *                         resumes), the others are never held up
 * @param replayLimit      at most this many missed events are sent to a browser that resumes
 * @param pollPeriod       how often an instance looks for events it was not told about (a lost pub/sub message)
 * @param historyLength    refresh outcomes kept per environment
 */
@Validated
@ConfigurationProperties("token-center.admin.events")
public record AdminEventProperties(@DefaultValue("15s") Duration heartbeat,
                                   @DefaultValue("10000") @Min(100) int maxLength,
                                   @DefaultValue("1024") @Min(16) int subscriberBuffer,
                                   @DefaultValue("1000") @Min(1) int replayLimit,
                                   @DefaultValue("2s") Duration pollPeriod,
                                   @DefaultValue("50") @Min(1) int historyLength) {
}
