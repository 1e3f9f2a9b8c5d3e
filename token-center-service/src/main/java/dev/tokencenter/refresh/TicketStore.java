package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JS-SDK tickets in Redis, one key per upstream credential and kind next to the token keys, expiring with the ticket;
 * the last error of each, the enrolment markers (which credentials clients use JS-SDK for) and WeCom's hourly call
 * counts. Tickets are written only by the holder of the credential's newest fence, like tokens. Not in PostgreSQL: a
 * lost ticket is fetched again on demand.
 */
@Component
class TicketStore {

    /**
     * KEYS: ticket, error, fence. ARGV: the attempt's fence, ticket JSON ('' for none), error JSON ('' for none),
     * ticket TTL ms, error TTL ms. A stored ticket clears the error. Returns 0 (nothing written) unless the attempt
     * holds the newest fence.
     */
    private static final String SAVE = """
            local fence = tonumber(redis.call('get', KEYS[3]) or '0')
            if fence ~= tonumber(ARGV[1]) then
              return 0
            end
            if ARGV[2] ~= '' then
              redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[4])
              redis.call('del', KEYS[2])
            end
            if ARGV[3] ~= '' then
              redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[5])
            end
            return 1
            """;

    /** KEYS: the hour counters. ARGV: one limit per key, then the TTL ms. Counts one call unless a limit is reached. */
    private static final String WITHIN_HOURLY_LIMITS = """
            for i = 1, #KEYS do
              if tonumber(redis.call('get', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
                return 0
              end
            end
            for i = 1, #KEYS do
              redis.call('incr', KEYS[i])
              redis.call('pexpire', KEYS[i], ARGV[#KEYS + 1])
            end
            return 1
            """;

    private static final Duration KEEP_ERROR = Duration.ofDays(1);

    private final RedissonClient redisson;
    private final RedisKeys keys;

    TicketStore(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    /** Writes a ticket (clearing the error) or an error, if {@code fence} is still the newest. Returns whether it wrote. */
    boolean save(long upstreamId, TicketEndpoint kind, long fence, StoredTicket ticket, TicketError error, Instant now) {
        String ticketJson = ticket == null ? "" : RedisTokenStore.JSON.writeValueAsString(ticket);
        long ttl = ticket == null ? 0 : Math.max(Duration.between(now, ticket.expiresAt()).toMillis(), 1000);
        Long written = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, SAVE,
                RScript.ReturnType.LONG, List.of(keys.ticket(upstreamId, kind.label()),
                        keys.ticketError(upstreamId, kind.label()), keys.fence(upstreamId)),
                Long.toString(fence), ticketJson, error == null ? "" : RedisTokenStore.JSON.writeValueAsString(error),
                Long.toString(ttl), Long.toString(KEEP_ERROR.toMillis()));
        return written != null && written == 1L;
    }

    Optional<StoredTicket> read(long upstreamId, TicketEndpoint kind) {
        String json = redisson.<String>getBucket(keys.ticket(upstreamId, kind.label()), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(RedisTokenStore.JSON.readValue(json, StoredTicket.class));
    }

    Mono<Optional<StoredTicket>> readAsync(long upstreamId, TicketEndpoint kind) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.ticket(upstreamId, kind.label()), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(RedisTokenStore.JSON.readValue(json, StoredTicket.class)))
                .defaultIfEmpty(Optional.empty());
    }

    Optional<TicketError> error(long upstreamId, TicketEndpoint kind) {
        String json = redisson.<String>getBucket(keys.ticketError(upstreamId, kind.label()), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(RedisTokenStore.JSON.readValue(json, TicketError.class));
    }

    Mono<Optional<TicketError>> errorAsync(long upstreamId, TicketEndpoint kind) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.ticketError(upstreamId, kind.label()), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(RedisTokenStore.JSON.readValue(json, TicketError.class)))
                .defaultIfEmpty(Optional.empty());
    }

    /** Marks the credential's tickets of this kind as used, for {@code ttl}. */
    Mono<Void> enrol(long upstreamId, TicketEndpoint kind, Duration ttl) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.ticketEnrolment(upstreamId, kind.label()),
                StringCodec.INSTANCE).setAsync("1", ttl)).then();
    }

    /** Which of {@code kinds} clients use for this credential (one MGET). */
    Set<TicketEndpoint> enrolled(long upstreamId, Collection<TicketEndpoint> kinds) {
        if (kinds.isEmpty()) {
            return EnumSet.noneOf(TicketEndpoint.class);
        }
        Map<String, String> found = redisson.getBuckets(StringCodec.INSTANCE)
                .get(enrolmentKeys(upstreamId, kinds).toArray(String[]::new));
        return enrolledAmong(upstreamId, kinds, found);
    }

    /** The keys whose presence marks {@code kinds} as used for this credential, to be read along with others. */
    List<String> enrolmentKeys(long upstreamId, Collection<TicketEndpoint> kinds) {
        return kinds.stream().map(kind -> keys.ticketEnrolment(upstreamId, kind.label())).toList();
    }

    /** Which of {@code kinds} {@code found} (what Redis held of {@link #enrolmentKeys}, by key) marks as used. */
    Set<TicketEndpoint> enrolledAmong(long upstreamId, Collection<TicketEndpoint> kinds, Map<String, ?> found) {
        Set<TicketEndpoint> result = EnumSet.noneOf(TicketEndpoint.class);
        for (TicketEndpoint kind : kinds) {
            if (found.containsKey(keys.ticketEnrolment(upstreamId, kind.label()))) {
                result.add(kind);
            }
        }
        return result;
    }

    /**
     * What the status API shows of the tickets of these credentials: the kinds that hold a ticket or an error, one MGET
     * per {@value RedisTokenStore#MGET_BATCH} keys.
     */
    Map<Long, List<TicketView>> views(Collection<CatalogEntry> entries) {
        List<String> names = new ArrayList<>();
        for (CatalogEntry entry : entries) {
            for (TicketEndpoint kind : TicketKinds.of(entry)) {
                names.add(keys.ticket(entry.upstreamId(), kind.label()));
                names.add(keys.ticketError(entry.upstreamId(), kind.label()));
            }
        }
        Map<String, Object> found = new HashMap<>();
        for (int from = 0; from < names.size(); from += RedisTokenStore.MGET_BATCH) {
            found.putAll(redisson.getBuckets(StringCodec.INSTANCE)
                    .get(names.subList(from, Math.min(names.size(), from + RedisTokenStore.MGET_BATCH)).toArray(String[]::new)));
        }
        Map<Long, List<TicketView>> views = new HashMap<>();
        for (CatalogEntry entry : entries) {
            List<TicketView> shown = new ArrayList<>();
            for (TicketEndpoint kind : TicketKinds.of(entry)) {
                Object ticket = found.get(keys.ticket(entry.upstreamId(), kind.label()));
                Object error = found.get(keys.ticketError(entry.upstreamId(), kind.label()));
                if (ticket == null && error == null) {
                    continue;
                }
                StoredTicket stored = ticket == null ? null : RedisTokenStore.JSON.readValue((String) ticket, StoredTicket.class);
                shown.add(new TicketView(kind.label(), stored == null ? null : stored.expiresAt(),
                        stored == null ? null : stored.obtainedAt(),
                        error == null ? null : RedisTokenStore.JSON.readValue((String) error, TicketError.class)));
            }
            views.put(entry.upstreamId(), List.copyOf(shown));
        }
        return views;
    }

    /**
     * Counts one call in the clock hour of {@code now} for each holder, unless a holder reached its limit; false then
     * (no call may be made before the next hour).
     */
    boolean withinHourlyLimits(TicketEndpoint kind, Instant now, Map<String, Integer> limitsByHolder) {
        long hour = now.getEpochSecond() / 3600;
        List<Object> keyList = new ArrayList<>();
        List<String> args = new ArrayList<>();
        limitsByHolder.forEach((holder, limit) -> {
            keyList.add(keys.ticketHour(holder, kind.label(), hour));
            args.add(Integer.toString(limit));
        });
        args.add(Long.toString(Duration.ofHours(1).plusMinutes(5).toMillis()));
        Long allowed = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, WITHIN_HOURLY_LIMITS,
                RScript.ReturnType.LONG, keyList, args.toArray());
        return allowed != null && allowed == 1L;
    }
}
