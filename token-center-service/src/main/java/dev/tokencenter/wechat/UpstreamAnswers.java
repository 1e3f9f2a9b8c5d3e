package dev.tokencenter.wechat;

import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;

/**
 * Reads the answers of the token and ticket calls: an HTTP error status, a body that is not a JSON object, or a
 * non-zero errcode each become an {@link UpstreamCallException}. Bodies are read as bytes: a String decoder would log
 * the answer, token or ticket included, at DEBUG.
 */
final class UpstreamAnswers {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private UpstreamAnswers() {
    }

    static <T> Mono<T> interpret(UpstreamEndpoint endpoint, ClientResponse response, Function<JsonNode, T> read) {
        int status = response.statusCode().value();
        if (status >= 400) {
            return response.releaseBody().then(Mono.error(new UpstreamHttpException(endpoint, status)));
        }
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                .map(body -> read.apply(successfulAnswer(endpoint, body)));
    }

    /** The answer as a JSON object with errcode 0 (or none). */
    static JsonNode successfulAnswer(UpstreamEndpoint endpoint, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UpstreamTransportException(endpoint, "the answer is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new UpstreamTransportException(endpoint, "the answer is not a JSON object");
        }
        int errcode = json.path("errcode").asInt(0);
        if (errcode != 0) {
            throw new WechatErrorException(endpoint, errcode, json.path("errmsg").asString(""));
        }
        return json;
    }

    /** A failure of the exchange as an exception that never carries the URL. */
    static UpstreamCallException translate(UpstreamEndpoint endpoint, Throwable error) {
        boolean tls = false;
        Throwable root = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
                return new UpstreamTimeoutException(endpoint, "no answer in time");
            }
            if (cause instanceof ConnectTimeoutException) {
                return new UpstreamTimeoutException(endpoint, "could not connect in time");
            }
            if (cause instanceof UpstreamCallException upstream) {
                return upstream;
            }
            tls |= cause instanceof SSLException;
            root = cause;
        }
        // the class name only: messages of transport errors may carry the request URL, and with it the secret
        String what = root.getClass().getSimpleName();
        return new UpstreamTransportException(endpoint, tls ? "TLS handshake failed (" + what + ")" : what);
    }
}
