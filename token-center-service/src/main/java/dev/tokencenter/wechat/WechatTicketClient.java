package dev.tokencenter.wechat;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;

/**
 * Calls the JS-SDK ticket endpoints ({@link TicketEndpoint}) with an access token, bounded like
 * {@link WechatTokenClient} (connect and response timeouts plus a hard deadline). Never logs: the token is in the
 * query string, so neither URLs nor causes are copied into the exceptions it raises, and bodies are read as bytes.
 */
public class WechatTicketClient implements AutoCloseable {

    private final UpstreamHttp http;
    private final URI wechat;
    private final URI wecom;

    private final UpstreamCallMeter meter;

    public WechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this(wechatApi, wecomApi, tls, UpstreamCallMeter.unread());
    }

    public WechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                              UpstreamCallMeter meter) {
        this.meter = meter;
        this.http = new UpstreamHttp("wechat-ticket", 32, 1, wechatApi, tls);
        this.wechat = wechatApi.apiBaseUrl();
        this.wecom = wecomApi.apiBaseUrl();
    }

    /** The longest one call can take before it fails with {@link UpstreamTimeoutException}. */
    public Duration deadline() {
        return http.deadline();
    }

    /** One ticket call with {@code accessToken}: a ticket, or an {@link UpstreamCallException} describing why not. */
    public Mono<UpstreamTicket> fetch(TicketEndpoint endpoint, String accessToken) {
        URI base = endpoint.wecom() ? wecom : wechat;
        Mono<UpstreamHttp.Answer> call = endpoint.type() == null
                ? http.get(base, endpoint.path(), "access_token", accessToken)
                : http.get(base, endpoint.path(), "access_token", accessToken, "type", endpoint.type());
        return meter.counted(endpoint.path(), http.read(endpoint, call, json -> ticket(endpoint, json)));
    }

    static UpstreamTicket parse(TicketEndpoint endpoint, byte[] body) {
        return ticket(endpoint, UpstreamAnswers.successfulAnswer(endpoint, body));
    }

    private static UpstreamTicket ticket(TicketEndpoint endpoint, JsonNode json) {
        String ticket = json.path("ticket").asString("");
        long expiresIn = json.path("expires_in").asLong(0);
        if (ticket.isEmpty() || expiresIn <= 0) {
            throw new UpstreamTransportException(endpoint, "the answer holds no ticket/expires_in");
        }
        return new UpstreamTicket(ticket, Duration.ofSeconds(expiresIn));
    }

    @Override
    public void close() {
        http.close();
    }
}
