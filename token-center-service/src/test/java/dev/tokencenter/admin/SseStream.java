package dev.tokencenter.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A server-sent event stream read the way a browser's EventSource reads it, one event (or comment) at a time. */
final class SseStream implements AutoCloseable {

    record Event(String id, String type, String data, String comment) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens {@code /admin/api/events} with HTTP Basic credentials, resuming after {@code lastEventId} when given. */
    static SseStream open(int port, AdminApiTestSupport.Login login, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/api/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8)));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(30, TimeUnit.SECONDS);
        return new SseStream(response);
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next event (or comment) that matches, skipping others; fails after {@code wait}. */
    Event next(Predicate<Event> wanted, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + wait);
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Every event that arrived so far, without waiting. */
    java.util.List<Event> drain() {
        java.util.List<Event> drained = new java.util.ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (type != null || data.length() > 0) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString(), null));
                    }
                    id = null;
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1)));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException closed) {
            // the stream was closed
        } finally {
            ended.countDown();
        }
    }

    /** Whether the server ended the stream within {@code wait}. */
    boolean endsWithin(Duration wait) throws InterruptedException {
        return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
