package dev.tokencenter.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted misbehaviour for the next {@code times} calls matching {@code endpoint} (a path such as
 * {@code /cgi-bin/stable_token}, or {@code *} for every WeChat endpoint) and, when not {@code null}, the
 * {@code appid} (read from the query's {@code appid}/{@code corpid}, the JSON body's {@code appid}, or the
 * owner of the {@code access_token}). Faults apply before normal processing; a faulted call still counts
 * in the call counters.
 *
 * @param kind       what goes wrong
 * @param endpoint   exact request path, or {@code *} for all
 * @param appid      only calls for this appid / corp id, or {@code null} for all
 * @param times      how many matching calls it affects
 * @param errcode    for {@link Kind#ERRCODE}: the WeChat errcode to answer (HTTP 200)
 * @param errmsg     for {@link Kind#ERRCODE}: the errmsg, or {@code null} for WeChat's usual message
 * @param latency    for {@link Kind#LATENCY}: delay before answering normally
 * @param httpStatus for {@link Kind#HTTP_STATUS}: the HTTP status of a plain-text answer
 */
public record Fault(Kind kind, String endpoint, String appid, int times, int errcode, String errmsg,
                    Duration latency, int httpStatus) {

    /** Matches every WeChat endpoint. */
    public static final String ANY_ENDPOINT = "*";

    public enum Kind {
        /** Answer {@code {"errcode":N,"errmsg":"..."}} with HTTP 200. */
        ERRCODE,
        /** Wait, then answer normally. */
        LATENCY,
        /** Never answer: hold the exchange until the hang duration passes or the simulator closes. */
        HANG,
        /** Answer a plain HTTP error status (e.g. 502 "Bad Gateway"). */
        HTTP_STATUS
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        if (!endpoint.equals(ANY_ENDPOINT) && !endpoint.startsWith("/")) {
            throw new IllegalArgumentException("endpoint must be a path starting with / or *: " + endpoint);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        switch (kind) {
            case ERRCODE -> {
                if (errcode == 0) {
                    throw new IllegalArgumentException("an errcode fault needs a non-zero errcode");
                }
            }
            case LATENCY -> {
                if (latency == null || latency.isNegative()) {
                    throw new IllegalArgumentException("a latency fault needs a non-negative latency");
                }
            }
            case HTTP_STATUS -> {
                if (httpStatus < 400 || httpStatus > 599) {
                    throw new IllegalArgumentException("an http status fault needs a 4xx/5xx status: " + httpStatus);
                }
            }
            case HANG -> {
            }
        }
    }

    public static Fault errcode(String endpoint, String appid, int errcode, int times) {
        return errcode(endpoint, appid, errcode, null, times);
    }

    public static Fault errcode(String endpoint, String appid, int errcode, String errmsg, int times) {
        return new Fault(Kind.ERRCODE, endpoint, appid, times, errcode, errmsg, null, 0);
    }

    public static Fault latency(String endpoint, String appid, Duration latency, int times) {
        return new Fault(Kind.LATENCY, endpoint, appid, times, 0, null, latency, 0);
    }

    public static Fault hang(String endpoint, String appid, int times) {
        return new Fault(Kind.HANG, endpoint, appid, times, 0, null, null, 0);
    }

    public static Fault httpStatus(String endpoint, String appid, int httpStatus, int times) {
        return new Fault(Kind.HTTP_STATUS, endpoint, appid, times, 0, null, null, httpStatus);
    }

    boolean matches(String path, String callAppid) {
        return (endpoint.equals(ANY_ENDPOINT) || endpoint.equals(path))
                && (appid == null || appid.equals(callAppid));
    }
}
