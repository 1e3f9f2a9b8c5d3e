package dev.tokencenter.config;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A service the instance cannot start without, by the addresses its settings name (any one of them will do). */
record Dependency(String name, List<InetSocketAddress> endpoints) {

    private static final int POSTGRES_PORT = 5432;
    private static final int REDIS_PORT = 6379;
    private static final int SENTINEL_PORT = 26379;

    /**
     * PostgreSQL from the JDBC URL, Redis from its address, Sentinel addresses or Cluster nodes. Unset settings are
     * left out (the required-settings check names them), and so are addresses that cannot be parsed (the client's own
     * start-up error names them better).
     */
    static List<Dependency> configured(Binder binder) {
        List<Dependency> dependencies = new ArrayList<>();
        try {
            binder.bind("spring.datasource.url", String.class).map(Dependency::postgres).ifBound(postgres -> {
                if (!postgres.endpoints().isEmpty()) {
                    dependencies.add(postgres);
                }
            });
            redis(binder).filter(redis -> !redis.endpoints().isEmpty()).ifPresent(dependencies::add);
        } catch (IllegalArgumentException unparsable) {
            return dependencies;
        }
        return dependencies;
    }

    private static Optional<Dependency> redis(Binder binder) {
        Optional<String> single = Optional.ofNullable(binder.bind("token-center.redis.address", String.class).orElse(null))
                .filter(address -> !address.isBlank());
        if (single.isPresent()) {
            return Optional.of(new Dependency("Redis", List.of(redisEndpoint(single.get(), REDIS_PORT))));
        }
        List<String> sentinels = addresses(binder, "token-center.redis.sentinel.addresses");
        if (!sentinels.isEmpty()) {
            return Optional.of(new Dependency("Redis Sentinel",
                    sentinels.stream().map(address -> redisEndpoint(address, SENTINEL_PORT)).toList()));
        }
        List<String> nodes = addresses(binder, "token-center.redis.cluster.nodes");
        return nodes.isEmpty() ? Optional.empty() : Optional.of(new Dependency("Redis Cluster",
                nodes.stream().map(address -> redisEndpoint(address, REDIS_PORT)).toList()));
    }

    private static List<String> addresses(Binder binder, String property) {
        return binder.bind(property, Bindable.listOf(String.class)).orElse(List.of()).stream()
                .filter(address -> !address.isBlank()).toList();
    }

    /** {@code jdbc:postgresql://host1:5432,host2/db?...}: every host of the list. */
    static Dependency postgres(String jdbcUrl) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        String prefix = "jdbc:postgresql://";
        if (jdbcUrl.startsWith(prefix)) {
            String rest = jdbcUrl.substring(prefix.length());
            int end = indexOfAny(rest, "/?");
            for (String host : rest.substring(0, end).split(",")) {
                if (!host.isBlank()) {
                    endpoints.add(hostAndPort(host.trim(), POSTGRES_PORT));
                }
            }
        }
        return new Dependency("PostgreSQL", endpoints);
    }

    private static InetSocketAddress redisEndpoint(String address, int defaultPort) {
        String withScheme = address.contains("://") ? address : "redis://" + address;
        URI uri = URI.create(withScheme.trim());
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
    }

    private static InetSocketAddress hostAndPort(String host, int defaultPort) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            String port = host.substring(close + 1);
            return InetSocketAddress.createUnresolved(host.substring(1, close),
                    port.startsWith(":") ? Integer.parseInt(port.substring(1)) : defaultPort);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? InetSocketAddress.createUnresolved(host, defaultPort)
                : InetSocketAddress.createUnresolved(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /** {@code host:port, host:port} */
    String describe() {
        return endpoints.stream().map(endpoint -> endpoint.getHostString() + ":" + endpoint.getPort())
                .collect(Collectors.joining(", "));
    }
}
