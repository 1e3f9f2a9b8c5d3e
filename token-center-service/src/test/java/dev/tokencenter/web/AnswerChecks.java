package dev.tokencenter.web;

import dev.tokencenter.web.MalformedVariants.Auth;
import dev.tokencenter.web.MalformedVariants.Variant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The rules every answer to a malformed request keeps, and the tally of what was sent and answered. */
final class AnswerChecks {

    record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase("content-type"))
                    .flatMap(header -> header.getValue().stream()).findFirst().orElse("");
        }
    }

    /** What a stack trace or an exception's class name would bring along. */
    private static final List<String> TRACE_MARKERS = List.of("Exception", "\tat ", "Caused by", "java.lang", "java.util",
            "java.io", "dev.tokencenter.", "org.springframework", "tools.jackson", "com.fasterxml", "reactor.", "io.netty",
            "org.redisson", "org.postgresql", "org.hibernate", "\"trace\"");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> CATALOGUE = Arrays.stream(ProblemType.values())
            .map(type -> type.type().toString()).collect(Collectors.toSet());

    private final List<String> secrets;
    private final List<String> tokens;
    private final List<String> failures = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();
    private final Map<String, Map<Integer, Integer>> statusesByCategory = new TreeMap<>();

    AnswerChecks(List<String> secrets, List<String> tokens) {
        this.secrets = List.copyOf(secrets);
        this.tokens = List.copyOf(tokens);
    }

    void check(Variant variant, Answer answer) {
        tally(variant.category(), answer.status());
        String label = variant.label();
        String text = answer.text();
        String headers = answer.headers().toString();
        if (answer.status() < 0) {
            fail(label, answer, "no answer: " + text);
            return;
        }
        if (answer.status() >= 500) {
            fail(label, answer, "a server error");
        }
        commonRules(label, answer, text, headers);
        boolean tokenMayAppear = variant.servesTokens() && answer.status() == 200 && variant.auth() == Auth.AS_CALLER;
        for (String token : tokens) {
            if (!tokenMayAppear && (text.contains(token) || headers.contains(token))) {
                fail(label, answer, "a token outside a granted 200");
            }
        }
        if (variant.target().startsWith("/admin") && !"GET".equals(variant.method()) && answer.status() < 300) {
            accepted.add(label + " -> " + answer.status());
        }
        if (answer.body().length == 0 && Set.of(400, 413, 414, 431).contains(answer.status())) {
            return; // refused by the HTTP server itself (bad request line, too long or too large): nothing to check
        }
        if (variant.target().startsWith("/cgi-bin/") && answer.status() != 404 && answer.status() != 405) {
            wechatShape(label, answer, text);
        } else if (answer.status() >= 400) {
            problemShape(label, answer, text);
        }
    }

    void checkRaw(List<RawRequests.RawAnswer> answers) {
        for (RawRequests.RawAnswer raw : answers) {
            tally("raw request", raw.status());
            Answer answer = new Answer(raw.status(), Map.of(), raw.text().getBytes(StandardCharsets.UTF_8));
            if (raw.status() >= 500) {
                fail(raw.label(), answer, "a server error");
            }
            commonRules(raw.label(), answer, raw.text(), "");
            for (String token : tokens) {
                if (raw.text().contains(token)) {
                    fail(raw.label(), answer, "a token");
                }
            }
        }
    }

    private void commonRules(String label, Answer answer, String text, String headers) {
        for (String marker : TRACE_MARKERS) {
            if (text.contains(marker)) {
                fail(label, answer, "a stack trace or class name (" + marker.strip() + ")");
            }
        }
        for (String secret : secrets) {
            if (text.contains(secret) || headers.contains(secret)) {
                fail(label, answer, "a secret");
            }
        }
        if (text.contains(MalformedVariants.HUGE_MARKER.repeat(4))) {
            fail(label, answer, "an echo of a huge value");
        }
    }

    private void wechatShape(String label, Answer answer, String text) {
        try {
            JsonNode body = JSON.readTree(text);
            if (!(body.has("errcode") || body.has("access_token")) || answer.status() != 200 && answer.status() != 429) {
                fail(label, answer, "not WeChat's answer shape");
            }
        } catch (RuntimeException e) {
            fail(label, answer, "not JSON");
        }
    }

    private void problemShape(String label, Answer answer, String text) {
        if (!answer.contentType().startsWith("application/problem+json") || answer.body().length == 0) {
            fail(label, answer, "an error that is not a problem detail (" + answer.contentType() + ")");
            return;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(text);
        } catch (RuntimeException e) {
            fail(label, answer, "a problem detail that is not JSON");
            return;
        }
        if (!CATALOGUE.contains(problem.path("type").asString()) || problem.path("status").asInt() != answer.status()) {
            fail(label, answer, "a problem type outside the catalogue or a status that differs");
        }
    }

    private void tally(String category, int status) {
        statusesByCategory.computeIfAbsent(category, c -> new TreeMap<>()).merge(status, 1, Integer::sum);
    }

    private void fail(String label, Answer answer, String why) {
        String text = answer.text();
        failures.add(label + " -> " + answer.status() + ": " + why + " | "
                + (text.length() > 300 ? text.substring(0, 300) + "..." : text).replaceAll("[\\r\\n]", " "));
    }

    List<String> failures() {
        return failures;
    }

    String report(int generated, int sent, long seconds, int operations) {
        StringBuilder report = new StringBuilder("Malformed input: ").append(operations).append(" operations in /v3/api-docs, ")
                .append(generated).append(" variants generated, ").append(sent)
                .append(generated > sent ? " sent (sampled with a fixed seed)" : " sent").append(", plus raw requests, in ").append(seconds).append(" s\n");
        int total = 0;
        for (Map.Entry<String, Map<Integer, Integer>> category : statusesByCategory.entrySet()) {
            int count = category.getValue().values().stream().mapToInt(Integer::intValue).sum();
            total += count;
            report.append(String.format("  %-20s %5d  answers %s%n", category.getKey(), count, category.getValue()));
        }
        report.append(String.format("  %-20s %5d%n", "total", total));
        report.append("Writes accepted (they must have changed nothing): ").append(accepted.size()).append('\n');
        accepted.forEach(write -> report.append("  ").append(write).append('\n'));
        report.append("Rule violations: ").append(failures.size()).append('\n');
        failures.forEach(failure -> report.append("  ").append(failure).append('\n'));
        return report.toString();
    }
}
