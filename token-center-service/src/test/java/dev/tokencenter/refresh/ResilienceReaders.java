package dev.tokencenter.refresh;

import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients reading tokens over HTTP without pause, each with a keep-alive connection of its own to one instance. Every
 * read is counted in the current {@link ResiliencePhase}: failed (not 200, or no answer), slower than a second, hung
 * (no answer within {@code answerWithin}), and invalid (a token the simulator did not accept at the moment it arrived).
 */
final class ResilienceReaders implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long SLOW_NANOS = Duration.ofSeconds(1).toNanos();

    record Target(String appid, String path) {
    }

    private final WechatSimulator simulator;
    private final List<Target> targets;
    private final String clientKey;
    private final Duration answerWithin;
    private final List<Reader> readers = new ArrayList<>();
    private volatile ResiliencePhase phase;
    private volatile boolean reading = true;

    ResilienceReaders(WechatSimulator simulator, List<Target> targets, String clientKey, Duration answerWithin,
                      ResiliencePhase first) {
        this.simulator = simulator;
        this.targets = List.copyOf(targets);
        this.clientKey = clientKey;
        this.answerWithin = answerWithin;
        this.phase = first;
    }

    /** Starts {@code count} readers of the instance listening on {@code port}. */
    void start(int port, int count) {
        for (int i = 0; i < count; i++) {
            Reader reader = new Reader(port);
            Thread thread = new Thread(reader, "resilience-reader-" + port + "-" + i);
            thread.setDaemon(true);
            reader.thread = thread;
            readers.add(reader);
            thread.start();
        }
    }

    void enter(ResiliencePhase next) {
        phase = next;
    }

    /**
     * Sends the readers of one instance to another (a load balancer taking it out of rotation) and waits, at most
     * {@code within}, until each has finished a read on the new one; returns whether they all did.
     */
    boolean move(int fromPort, int toPort, Duration within) {
        List<Reader> moved = readers.stream().filter(reader -> reader.port == fromPort).toList();
        moved.forEach(reader -> reader.port = toPort);
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (moved.stream().allMatch(reader -> reader.lastReadPort == toPort)) {
                return true;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        for (Reader reader : readers) {
            reader.thread.join(answerWithin.plusSeconds(2).toMillis());
        }
    }

    private final class Reader implements Runnable {
        volatile int port;
        /** The instance the last finished read went to. */
        volatile int lastReadPort;
        Thread thread;

        Reader(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (reading) {
                int to = port;
                read(http, to, targets.get(random.nextInt(targets.size())), phase);
                lastReadPort = to;
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void read(HttpClient http, int port, Target target, ResiliencePhase counted) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target.path()))
                .header("Authorization", "Bearer " + clientKey)
                .timeout(answerWithin)
                .GET().build();
        counted.reads.incrementAndGet();
        Instant sentAt = simulator.clock().now();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean slow = System.nanoTime() - started > SLOW_NANOS;
            if (slow) {
                counted.slow.incrementAndGet();
            }
            if (response.statusCode() != 200) {
                counted.failure(target.path(), started, Instant.now() + " " + target.path() + " on :" + port
                        + ": HTTP " + response.statusCode() + " " + problemType(response.body()));
                return;
            }
            String token = JSON.readTree(response.body()).path("access_token").asString();
            Instant arrivedAt = simulator.clock().now();
            TokenValidity validity = simulator.tokenValidity(token);
            // a token is served with at least the minimum lifetime (1 s) left: one that arrives within a second must
            // still work; of a slower answer (served at some moment after it was asked for) only that it worked then
            Instant mustWorkAt = slow ? sentAt : arrivedAt;
            if (!target.appid().equals(validity.appid()) || validity.expiresAt() == null
                    || !validity.expiresAt().isAfter(mustWorkAt)) {
                counted.invalid.incrementAndGet();
                counted.failureSamples.add(arrivedAt + " " + target.path() + " on :" + port + ": a token the simulator"
                        + " did not accept (" + validity.appid() + ", ended " + validity.expiresAt() + ")");
            }
        } catch (HttpTimeoutException e) {
            counted.hung.incrementAndGet();
            counted.slow.incrementAndGet();
            counted.failure(target.path(), started, Instant.now() + " " + target.path() + " on :" + port
                    + ": no answer within " + answerWithin);
        } catch (IOException e) {
            counted.failure(target.path(), started, Instant.now() + " " + target.path() + " on :" + port
                    + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading = false;
        }
    }

    private static String problemType(String body) {
        try {
            String type = JSON.readTree(body).path("type").asString();
            return type.substring(type.lastIndexOf('/') + 1);
        } catch (RuntimeException e) {
            return "(no problem detail)";
        }
    }
}
