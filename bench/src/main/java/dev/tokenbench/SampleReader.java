package dev.tokenbench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads random credentials' tokens through the token API of random instances at a modest rate while switched on, and
 * keeps, per token mode, the least lifetime left ({@code expires_at} minus the time of the read) on a served token.
 */
final class SampleReader implements AutoCloseable {

    private static final Pattern EXPIRES_AT = Pattern.compile("\"expires_at\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Integer> ports;
    private final String key;
    private final int credentials;
    private final IntFunction<String> modeOf;
    private final Thread thread;
    private final Map<String, Long> leastMillisLeft = new ConcurrentHashMap<>();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private volatile boolean on;
    private volatile boolean closed;

    SampleReader(List<Integer> ports, String key, int credentials, IntFunction<String> modeOf, int readsPerSecond) {
        this.ports = ports;
        this.key = key;
        this.credentials = credentials;
        this.modeOf = modeOf;
        long pauseNanos = 1_000_000_000L / readsPerSecond;
        this.thread = new Thread(() -> {
            while (!closed) {
                if (on) {
                    readOne();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            }
        }, "sample-reader");
        thread.setDaemon(true);
        thread.start();
    }

    void on(boolean reading) {
        this.on = reading;
    }

    Map<String, Long> leastMillisLeft() {
        return Map.copyOf(leastMillisLeft);
    }

    private void readOne() {
        int i = ThreadLocalRandom.current().nextInt(credentials);
        int port = ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tokens/bench/app-" + i + "/prod"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).build();
        // the server decided after the request was sent: lifetime left is measured from then (conservative)
        Instant readAt = Instant.now();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            reads.incrementAndGet();
            Matcher matcher = EXPIRES_AT.matcher(response.body());
            if (response.statusCode() != 200 || !matcher.find()) {
                failures.incrementAndGet();
                return;
            }
            long left = Duration.between(readAt, Instant.parse(matcher.group(1))).toMillis();
            leastMillisLeft.merge(modeOf.apply(i), left, Math::min);
        } catch (Exception e) {
            reads.incrementAndGet();
            failures.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
