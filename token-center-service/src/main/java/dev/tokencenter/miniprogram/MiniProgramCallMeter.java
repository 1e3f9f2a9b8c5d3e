package dev.tokencenter.miniprogram;

import dev.tokencenter.web.Failures;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts mini program calls ({@code tokencenter_miniprogram_calls_total}) by endpoint ({@code sessions.create},
 * {@code sessions.decrypt}, {@code sessions.check}, {@code sessions.delete}, {@code phone-number}) and outcome: {@code ok},
 * or the slug of the problem type the call was answered with. Requests the security chain refuses never reach a
 * handler and are not counted here.
 */
@Component
class MiniProgramCallMeter {

    static final String OK = "ok";

    private final MeterRegistry registry;
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    MiniProgramCallMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The handler, counting the outcome of each call it answers. */
    HandlerFunction<ServerResponse> counted(String endpoint, HandlerFunction<ServerResponse> handler) {
        return request -> handler.handle(request)
                .doOnNext(response -> count(endpoint, outcome(response)))
                .doOnError(error -> count(endpoint, outcome(error)));
    }

    void count(String endpoint, String outcome) {
        counters.computeIfAbsent(endpoint, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, key -> Counter.builder("tokencenter.miniprogram.calls")
                        .description("Mini program calls by endpoint and outcome (ok or the problem type)")
                        .tag("endpoint", endpoint)
                        .tag("outcome", outcome)
                        .register(registry))
                .increment();
    }

    static String outcome(ServerResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return OK;
        }
        if (response instanceof EntityResponse<?> entity && entity.entity() instanceof ProblemDetail problem) {
            URI type = problem.getType();
            String text = type == null ? "" : type.toString();
            if (text.startsWith(ProblemType.TYPE_BASE)) {
                return text.substring(ProblemType.TYPE_BASE.length());
            }
        }
        return "http-" + response.statusCode().value();
    }

    /** A failure no handler answered: the service's exception handler turns it into this problem. */
    static String outcome(Throwable error) {
        Problem unavailable = Failures.unavailable(error);
        return unavailable != null ? unavailable.type().slug() : ProblemType.INTERNAL.slug();
    }
}
