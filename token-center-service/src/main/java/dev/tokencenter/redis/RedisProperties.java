package dev.tokencenter.redis;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Redis connection for Redisson, from our own properties (token-center.redis.*): one server ({@code address}),
 * a Sentinel-monitored master ({@code sentinel.master-name} and {@code sentinel.addresses}) or a Redis Cluster
 * ({@code cluster.nodes}). Exactly one of the three is configured.
 */
@Validated
@ConfigurationProperties("token-center.redis")
public record RedisProperties(
        String address,
        String username,
        String password,
        @DefaultValue("0") @Min(0) int database,
        @DefaultValue("32") @Min(1) int connectionPoolSize,
        @DefaultValue("8") @Min(1) int connectionMinimumIdleSize,
        @DefaultValue("1s") Duration timeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("1") @Min(0) int retryAttempts,
        @DefaultValue("200ms") Duration retryInterval,
        @DefaultValue @Valid Sentinel sentinel,
        @DefaultValue @Valid Cluster cluster) {

    public enum Topology { SINGLE, SENTINEL, CLUSTER }

    /**
     * Sentinel: the name of the monitored master and the sentinels' addresses ({@code redis://host:26379}).
     * The username and password above are the master's; the sentinels may have their own.
     */
    public record Sentinel(String masterName, List<String> addresses, String username, String password) {
        public Sentinel {
            addresses = present(addresses);
        }
    }

    /** Redis Cluster: the addresses of some of its nodes ({@code redis://host:6379}); the rest are discovered. */
    public record Cluster(List<String> nodes) {
        public Cluster {
            nodes = present(nodes);
        }
    }

    public Topology topology() {
        if (StringUtils.hasText(sentinel.masterName())) {
            return Topology.SENTINEL;
        }
        return cluster.nodes().isEmpty() ? Topology.SINGLE : Topology.CLUSTER;
    }

    @AssertTrue(message = "set exactly one of token-center.redis.address, token-center.redis.sentinel.master-name "
            + "(with sentinel.addresses) or token-center.redis.cluster.nodes")
    public boolean isOneTopology() {
        int configured = (StringUtils.hasText(address) ? 1 : 0)
                + (StringUtils.hasText(sentinel.masterName()) ? 1 : 0)
                + (cluster.nodes().isEmpty() ? 0 : 1);
        boolean sentinelComplete = !StringUtils.hasText(sentinel.masterName()) || !sentinel.addresses().isEmpty();
        return configured == 1 && sentinelComplete;
    }

    /** The longest one Redis command can take before Redisson gives up on it: every attempt and the pauses between. */
    public Duration commandBound() {
        return timeout.multipliedBy(retryAttempts + 1L).plus(retryInterval.multipliedBy(retryAttempts));
    }

    private static List<String> present(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(StringUtils::hasText).toList();
    }
}
