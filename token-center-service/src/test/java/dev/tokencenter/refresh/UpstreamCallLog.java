package dev.tokencenter.refresh;

import dev.tokencenter.simulator.WechatSimulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * When each upstream token call of each credential happened, as the simulator counted it (polled every few
 * milliseconds), and in which phase; calls the test made fail on purpose are marked so. Two successful calls of one
 * credential closer than {@code minimumSpacing} are two fetches in one refresh cycle: a duplicate.
 */
final class UpstreamCallLog implements AutoCloseable {

    record Credential(String appid, String endpoint) {
    }

    record Call(long index, long atNanos, ResiliencePhase phase) {
    }

    /** Calls numbered above {@code after} and up to {@code until} alternate failing and passing, failing first. */
    private record Alternating(long after, long until) {
        boolean failed(long index) {
            return index > after && index <= until && (index - after) % 2 == 1;
        }
    }

    private final WechatSimulator simulator;
    private final List<Credential> credentials;
    private final Map<Credential, List<Call>> calls = new ConcurrentHashMap<>();
    private final Map<Credential, List<Alternating>> faultWindows = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile ResiliencePhase phase;
    private volatile boolean polling = true;

    UpstreamCallLog(WechatSimulator simulator, List<Credential> credentials, ResiliencePhase first) {
        this.simulator = simulator;
        this.credentials = List.copyOf(credentials);
        this.phase = first;
        credentials.forEach(credential -> {
            calls.put(credential, new CopyOnWriteArrayList<>());
            faultWindows.put(credential, new CopyOnWriteArrayList<>());
        });
        this.poller = new Thread(this::poll, "upstream-call-log");
        poller.setDaemon(true);
        poller.start();
    }

    void enter(ResiliencePhase next) {
        phase = next;
    }

    long count(Credential credential) {
        return simulator.callCount(credential.appid(), credential.endpoint());
    }

    /** The calls after {@code fromIndex} up to {@code toIndex} were made to fail every other time, the first failing. */
    void alternatingFailures(Credential credential, long fromIndex, long toIndex) {
        faultWindows.get(credential).add(new Alternating(fromIndex, toIndex));
    }

    List<Call> calls(Credential credential) {
        return List.copyOf(calls.get(credential));
    }

    /** Counts, in each call's phase, the successful calls that came sooner than {@code minimumSpacing} after the last. */
    void countDuplicates(Duration minimumSpacing) {
        for (Credential credential : credentials) {
            Call previous = null;
            for (Call call : calls.get(credential)) {
                if (faulted(credential, call.index())) {
                    continue;
                }
                if (previous != null && call.atNanos() - previous.atNanos() < minimumSpacing.toNanos()) {
                    call.phase().duplicates++;
                }
                previous = call;
            }
        }
    }

    private void poll() {
        Map<Credential, Long> seen = new ConcurrentHashMap<>();
        credentials.forEach(credential -> seen.put(credential, count(credential)));
        while (polling) {
            for (Credential credential : credentials) {
                long now = count(credential);
                long before = seen.get(credential);
                for (long index = before + 1; index <= now; index++) {
                    calls.get(credential).add(new Call(index, System.nanoTime(), phase));
                }
                seen.put(credential, now);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** Whether the call numbered {@code index} of a credential was made to fail. */
    boolean faulted(Credential credential, long index) {
        return faultWindows.get(credential).stream().anyMatch(window -> window.failed(index));
    }

    @Override
    public void close() throws InterruptedException {
        polling = false;
        poller.join(2000);
    }
}
