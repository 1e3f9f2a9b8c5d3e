package dev.tokencenter.wechat;

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
 * non-zero errcode each become an {@link UpstreamCallException}. Bodies are read as bytes and never logged: they hold
 * the token or ticket.
 */
final class UpstreamAnswers {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private UpstreamAnswers() {
    }

    /** The answer read by {@code read}; an HTTP error status, a body that is no JSON object or an errcode throw. */
    static <T> T interpret(UpstreamEndpoint endpoint, UpstreamHttp.Answer answer, Function<JsonNode, T> read) {
        if (answer.status() >= 400) {
            throw new UpstreamHttpException(endpoint, answer.status());
        }
        return read.apply(successfulAnswer(endpoint, answer.body()));
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
