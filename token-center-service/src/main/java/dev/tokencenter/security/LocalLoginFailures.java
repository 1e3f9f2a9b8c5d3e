package dev.tokencenter.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;

/** Failed logins counted in this instance's memory: the fallback while Redis is unreachable. Bounded in size. */
final class LocalLoginFailures implements LoginFailureStore {

    private record Window(long failures, long endsAtNanos) {
    }

    private final Cache<String, Window> windows;
    private final long windowNanos;

    LocalLoginFailures(Duration window, int maximumEntries) {
        this.windowNanos = window.toNanos();
        this.windows = Caffeine.newBuilder()
                .maximumSize(maximumEntries)
                .expireAfter(Expiry.<String, Window>creating((key, value) -> window))
                .build();
    }

    @Override
    public LoginFailureCounts read(String usernameKey, String addressKey) {
        long now = System.nanoTime();
        Window username = windows.getIfPresent(usernameKey);
        Window address = windows.getIfPresent(addressKey);
        return new LoginFailureCounts(failures(username), remainingMillis(username, now),
                failures(address), remainingMillis(address, now));
    }

    @Override
    public void failed(String usernameKey, String addressKey) {
        long now = System.nanoTime();
        for (String key : new String[] {usernameKey, addressKey}) {
            windows.asMap().compute(key, (k, old) -> old == null ? new Window(1, now + windowNanos)
                    : new Window(old.failures() + 1, old.endsAtNanos()));
        }
    }

    @Override
    public void succeeded(String usernameKey) {
        windows.invalidate(usernameKey);
    }

    private static long failures(Window window) {
        return window == null ? 0 : window.failures();
    }

    private static long remainingMillis(Window window, long now) {
        return window == null ? 0 : Math.max(0, (window.endsAtNanos() - now) / 1_000_000);
    }
}
