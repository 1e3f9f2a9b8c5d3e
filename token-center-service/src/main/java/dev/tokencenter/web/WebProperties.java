package dev.tokencenter.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The public HTTP server ({@code token-center.web.*}).
 *
 * @param requestReadTimeout the longest a request may take to arrive once its headers have: a client that states a
 *                           body and never sends it all is cut off after this, so no request holds a connection
 *                           without a bound
 */
@Validated
@ConfigurationProperties("token-center.web")
public record WebProperties(@NotNull @DefaultValue("10s") Duration requestReadTimeout) {
}
