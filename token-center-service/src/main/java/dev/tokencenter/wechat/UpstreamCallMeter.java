package dev.tokencenter.wechat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Counts calls to WeChat and WeCom ({@code tokencenter_upstream_calls_total}) by path and outcome: {@code 0}, WeChat's
 * errcode, {@code timeout}, {@code http_5xx} / {@code http_4xx}, or {@code transport} (refused, reset, TLS, an answer
 * that is not what WeChat documents). Never a URL: GET calls carry a secret or a token in the query.
 */
public final class UpstreamCallMeter {

    static final String OK = "0";

    private final MeterRegistry registry;
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    public UpstreamCallMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** For clients made outside the application context (tests): counts into a registry nobody reads. */
    static UpstreamCallMeter unread() {
        return new UpstreamCallMeter(new SimpleMeterRegistry());
    }

    /** Counts the call's outcome when it ends (a cancelled call is not counted). */
    <T> Mono<T> counted(String path, Mono<T> call) {
        return call.doOnSuccess(value -> count(path, OK)).doOnError(error -> count(path, outcome(error)));
    }

    void count(String path, String outcome) {
        counters.computeIfAbsent(path, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, key -> Counter.builder("tokencenter.upstream.calls")
                        .description("Calls to WeChat and WeCom by path and errcode")
                        .tag("endpoint", path)
                        .tag("errcode", outcome)
                        .register(registry))
                .increment();
    }

    static String outcome(Throwable error) {
        if (error instanceof WechatErrorException wechat) {
            return Integer.toString(wechat.errcode());
        }
        if (error instanceof UpstreamTimeoutException || error instanceof TimeoutException) {
            return "timeout";
        }
        if (error instanceof UpstreamHttpException http) {
            return httpStatus(http.status());
        }
        if (error instanceof WebClientResponseException http) {
            return httpStatus(http.getStatusCode().value());
        }
        if (error instanceof MiniProgramCallException call) {
            return switch (call.failure()) {
                case ERRCODE -> Integer.toString(call.errcode());
                case TIMEOUT -> "timeout";
                case HTTP_STATUS -> httpStatus(call.httpStatus());
                case TRANSPORT, MALFORMED -> "transport";
            };
        }
        return "transport";
    }

    private static String httpStatus(int status) {
        return status >= 500 ? "http_5xx" : "http_4xx";
    }
}
