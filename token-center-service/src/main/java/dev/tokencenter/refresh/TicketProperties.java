package dev.tokencenter.refresh;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the engine keeps JS-SDK tickets ({@code token-center.jssdk.*}).
 *
 * @param minimumLifetime     a ticket with less than this left is never served; WeChat hands out the held ticket until
 *                            it expires, so readers in that last stretch wait for the next one (must stay below
 *                            {@code token-center.refresh.read-wait})
 * @param enrolment           a credential's tickets are kept while a client asked for them within this time
 * @param enrolmentRenewal    an instance renews an enrolment at most this often per credential and kind
 * @param refreshAhead        a read that finds less than this left asks for a new ticket (the held one is still
 *                            served while it has more than the token's minimum lifetime left)
 * @param onDemandInterval    at most one ticket-only attempt per credential per this interval, cluster-wide
 * @param wecomCorpHourlyLimit WeCom ticket calls per corp, kind and clock hour (WeCom allows 400)
 * @param wecomAppHourlyLimit  WeCom ticket calls per app, kind and clock hour (WeCom allows 100)
 */
@Validated
@ConfigurationProperties("token-center.jssdk")
public record TicketProperties(
        @NotNull @DefaultValue("1s") Duration minimumLifetime,
        @NotNull @DefaultValue("7d") Duration enrolment,
        @NotNull @DefaultValue("1m") Duration enrolmentRenewal,
        @NotNull @DefaultValue("10m") Duration refreshAhead,
        @NotNull @DefaultValue("30s") Duration onDemandInterval,
        @Min(1) @DefaultValue("400") int wecomCorpHourlyLimit,
        @Min(1) @DefaultValue("100") int wecomAppHourlyLimit) {
}
