package dev.tokencenter.wechat;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls the JS-SDK ticket endpoints ({@link TicketEndpoint}) with an access token, bounded like
 * {@link WechatTokenClient} (connect and response timeouts plus a hard deadline). Never logs: the token is in the
 * query string, so neither URLs nor causes are copied into the exceptions it raises, and bodies are read as bytes.
 */
public class WechatTicketClient implements AutoCloseable {

    private final UpstreamHttp http;
    private final WebClient wechat;
    private final WebClient wecom;

    private final UpstreamCallMeter meter;

    public WechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this(wechatApi, wecomApi, tls, UpstreamCallMeter.unread());
    }

    public WechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                              UpstreamCallMeter meter) {
        this.meter = meter;
        this.http = new UpstreamHttp("wechat-ticket", 32, 1, wechatApi, tls);
        this.wechat = http.webClient(wechatApi.apiBaseUrl());
        this.wecom = http.webClient(wecomApi.apiBaseUrl());
    }

    /** The longest one call can take before it fails with {@link UpstreamTimeoutException}. */
    public Duration deadline() {
        return http.deadline();
    }

    /** One ticket call with {@code accessToken}: a ticket, or an {@link UpstreamCallException} describing why not. */
    public Mono<UpstreamTicket> fetch(TicketEndpoint endpoint, String accessToken) {
        WebClient client = endpoint.wecom() ? wecom : wechat;
        Map<String, String> variables = new HashMap<>();
        variables.put("token", accessToken);
        return meter.counted(endpoint.path(), client.get().uri(uri -> {
                    uri.path(endpoint.path()).queryParam("access_token", "{token}");
                    if (endpoint.type() != null) {
                        uri.queryParam("type", endpoint.type());
                    }
                    return uri.build(variables);
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> UpstreamAnswers.interpret(endpoint, response, json -> ticket(endpoint, json)))
                .timeout(http.deadline())
                .onErrorMap(error -> !(error instanceof UpstreamCallException),
                        error -> UpstreamAnswers.translate(endpoint, error)));
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
