package dev.tokencenter.simulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Users WeChat's risk control has flagged: their {@code jscode2session} calls answer 40226. */
final class HighRiskUsers {

    private record User(String appid, String openid) {
    }

    private final Set<User> flagged = ConcurrentHashMap.newKeySet();

    void mark(String appid, String openid) {
        flagged.add(new User(appid, openid));
    }

    /** Returns whether the user was flagged. */
    boolean clear(String appid, String openid) {
        return flagged.remove(new User(appid, openid));
    }

    boolean contains(String appid, String openid) {
        return flagged.contains(new User(appid, openid));
    }
}
