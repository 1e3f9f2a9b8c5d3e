package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisProperties;
import org.springframework.stereotype.Component;

import dev.tokencenter.wechat.TicketEndpoint;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Redis key and channel the engine uses. Keys live in the configured Redis database; pub/sub channels are
 * global to the Redis server, so their names carry the database index.
 */
@Component
class RedisKeys {

    private static final String PREFIX = "token-center:";

    private final int database;

    RedisKeys(RedisProperties redis) {
        this.database = redis.database();
    }

    String token(long upstreamId) {
        return PREFIX + "token:" + upstreamId;
    }

    String status(long upstreamId) {
        return PREFIX + "status:" + upstreamId;
    }

    String lock(long upstreamId) {
        return PREFIX + "lock:" + upstreamId;
    }

    String fence(long upstreamId) {
        return PREFIX + "fence:" + upstreamId;
    }

    String quota(long upstreamId, LocalDate quotaDay) {
        return PREFIX + "quota:" + upstreamId + ":" + quotaDay;
    }

    String window(String name, long upstreamId) {
        return PREFIX + name + ":" + upstreamId;
    }

    String ticket(long upstreamId, String kind) {
        return PREFIX + "ticket:" + upstreamId + ":" + kind;
    }

    String ticketError(long upstreamId, String kind) {
        return PREFIX + "ticket-error:" + upstreamId + ":" + kind;
    }

    /** Present while clients use the credential's tickets of this kind (renewed on use). */
    String ticketEnrolment(long upstreamId, String kind) {
        return PREFIX + "jssdk:" + upstreamId + ":" + kind;
    }

    /** Ticket calls in one clock hour, counted per {@code holder} (an upstream credential or a WeCom corp). */
    String ticketHour(String holder, String kind, long epochHour) {
        return PREFIX + "ticket-hour:" + holder + ":" + kind + ":" + epochHour;
    }

    /** Every ticket key of a credential (tickets, errors, enrolments), for forgetting it. */
    List<String> ticketKeys(long upstreamId) {
        List<String> all = new ArrayList<>();
        for (TicketEndpoint kind : TicketEndpoint.values()) {
            all.add(ticket(upstreamId, kind.label()));
            all.add(ticketError(upstreamId, kind.label()));
            all.add(ticketEnrolment(upstreamId, kind.label()));
        }
        return all;
    }

    String ticketChangedChannel() {
        return PREFIX + "db" + database + ":ticket-changed";
    }

    String tokenChangedChannel() {
        return PREFIX + "db" + database + ":token-changed";
    }

    String statusChangedChannel() {
        return PREFIX + "db" + database + ":status-changed";
    }

    String credentialChangedChannel() {
        return PREFIX + "db" + database + ":credential-changed";
    }
}
