package dev.tokencenter.compat;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.TokenReadCounter;
import dev.tokencenter.token.TokenSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * The token answer of a compatible call when everything it needs is already in this instance's memory, made the way
 * {@link WechatCompatHandler} makes it (same checks in the same order, same read count and repeated-fetch record, same
 * body): a client key verified here before, an AppID the catalog holds, a grant with the token right for a credential
 * of the endpoint's platform and a usable token in the near cache. A caller asking again for the token it holds is a
 * likely report of a failing token, which the handler checks with the refresh engine: answered here only when that
 * report could not replace the token (the credential's check budget is spent), so the handler would answer the same
 * token too. Anything else is left to the handler, which alone answers errors and force_refresh. Called by the
 * event-loop route ahead of WebFlux for {@code GET /cgi-bin/token}, {@code GET /cgi-bin/gettoken} and
 * {@code POST /cgi-bin/stable_token}; a declined call goes on to the handler unchanged.
 */
@Component
public class WarmCompatReads {

    /** The {@code Cache-Control} value of every answer. */
    public static final String CACHE_CONTROL = CompatTokenAnswer.CACHE_CONTROL;

    /** Longer stable_token bodies, and bodies of unknown length, go to the handler unread. */
    public static final int MAX_BODY = 1024;

    private final ApiClientDirectory clients;
    private final CompatCredentials credentials;
    private final TokenSource tokens;
    private final TokenReadCounter reads;
    private final RepeatedFetchDetector repeatedFetches;
    private final Clock clock;
    private final LongAdder answered = new LongAdder();

    WarmCompatReads(ApiClientDirectory clients, CompatCredentials credentials, TokenSource tokens, TokenReadCounter reads,
                    RepeatedFetchDetector repeatedFetches, ObjectProvider<Clock> clock) {
        this.clients = clients;
        this.credentials = credentials;
        this.tokens = tokens;
        this.reads = reads;
        this.repeatedFetches = repeatedFetches;
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    /** {@code GET /cgi-bin/token}: the body of the 200 answer, with the read counted; null when the handler must answer. */
    public byte[] token(String grantType, String appid, String secret, InetSocketAddress remote) {
        return answer(false, grantType, appid, secret, remote);
    }

    /** WeCom's {@code GET /cgi-bin/gettoken}: as {@link #token}. */
    public byte[] wecomToken(String corpid, String corpsecret, InetSocketAddress remote) {
        return answer(true, WechatCompatHandler.CLIENT_CREDENTIAL, corpid, corpsecret, remote);
    }

    /**
     * Whether a {@code POST /cgi-bin/stable_token} body with these {@code Content-Type} and {@code Content-Length}
     * header values is worth reading here: JSON in UTF-8 with a stated length of at most {@link #MAX_BODY} bytes.
     */
    public static boolean readableBody(String contentType, String contentLength) {
        if (contentType == null || contentLength == null) {
            return false;
        }
        try {
            long length = Long.parseLong(contentLength.trim());
            if (length <= 0 || length > MAX_BODY) {
                return false;
            }
            if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)) {
                return true; // what SDKs send; parsed below only when it is anything else
            }
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
        } catch (IllegalArgumentException e) {   // an unreadable length, type or charset: the handler answers it
            return false;
        }
    }

    /**
     * {@code POST /cgi-bin/stable_token} with this body: as {@link #token} when the body is in the plain form SDKs send
     * (see {@link StableTokenText}) without {@code force_refresh}; null otherwise.
     */
    public byte[] stableToken(byte[] body, InetSocketAddress remote) {
        StableTokenBody parsed = StableTokenText.parse(body);
        return parsed == null || parsed.forceRefresh() ? null
                : answer(false, parsed.grantType(), parsed.appid(), parsed.secret(), remote);
    }

    /** The body of the 200 answer, with the read counted; null when the handler must answer. Never blocks. */
    private byte[] answer(boolean wecom, String grantType, String appid, String key, InetSocketAddress remote) {
        if (!WechatCompatHandler.CLIENT_CREDENTIAL.equals(grantType) || appid == null || appid.isBlank()
                || key == null || key.isBlank()) {
            return null;
        }
        ClientPrincipal client = clients.verifiedFromMemory(key);
        if (client == null) {
            return null;
        }
        CompatCredential target = CompatCredential.grantedTo(credentials.findInMemory(client.tenant(), appid), client, wecom)
                .orElse(null);
        IssuedToken token = target == null ? null : tokens.usableFromMemory(target.key());
        if (token == null) {
            return null;
        }
        RepeatedFetchDetector.Caller caller = RepeatedFetchDetector.Caller.of(client.id(), target.key(), remote);
        if (repeatedFetches.alreadyHolds(caller, token.accessToken())
                && tokens.reportCouldReplace(target.key(), token.accessToken())) {
            return null;
        }
        reads.record(client.id(), target.key());
        repeatedFetches.handed(caller, token.accessToken());
        answered.increment();
        return CompatTokenAnswer.body(wecom, token, clock.instant());
    }

    /** How many calls were answered here since start: the fast path's own count, for tests. */
    public long answered() {
        return answered.sum();
    }
}
