package dev.tokencenter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's own JSON API under {@value #PREFIX}, for other processes and benchmarks: the same
 * operations as {@link WechatSimulator}'s Java methods. Bad input answers 400 {@code {"error":"..."}}.
 */
final class ControlApi {

    static final String PREFIX = "/__sim";

    private final WechatSimulator simulator;
    private final MiniProgramControl miniProgram;

    ControlApi(WechatSimulator simulator) {
        this.simulator = simulator;
        this.miniProgram = new MiniProgramControl(simulator);
    }

    SimResponse handle(SimRequest request) {
        try {
            return route(request);
        } catch (IllegalArgumentException | Json.BadJson e) {
            return SimResponse.controlError(400, e.getMessage());
        }
    }

    private SimResponse route(SimRequest request) {
        String path = request.path().substring(PREFIX.length());
        String method = request.method();
        if (path.startsWith("/apps/") && path.endsWith("/secret") && path.length() > "/apps//secret".length()) {
            return method.equals("PUT") ? changeSecret(request, path) : notAllowed();
        }
        SimResponse miniProgramAnswer = miniProgram.route(method, path, request);
        if (miniProgramAnswer != null) {
            return miniProgramAnswer;
        }
        return switch (method + " " + path) {
            case "POST /apps" -> registerApp(request);
            case "POST /faults" -> injectFault(request);
            case "DELETE /faults" -> done(simulator::clearFaults);
            case "POST /tokens/invalidate" -> invalidate(request);
            case "GET /tokens/validity" -> validity(request);
            case "GET /tokens-issued" -> tokensIssued(request);
            case "GET /tickets/validity" -> ticketValidity(request);
            case "GET /counters" -> SimResponse.json(200, simulator.callCounts());
            case "DELETE /counters" -> done(simulator::resetCounters);
            case "POST /clock/advance" -> advanceClock(request);
            case "GET /clock" -> clock();
            case "POST /reset" -> done(simulator::reset);
            case "GET /health" -> SimResponse.json(200, Map.of("status", "UP"));
            case "GET /settings" -> SimResponse.json(200, settings());
            default -> knownPath(path) ? notAllowed() : SimResponse.controlError(404, "no control endpoint " + request.path());
        };
    }

    private SimResponse registerApp(SimRequest request) {
        Map<String, Object> body = request.json();
        String platform = Json.text(body, "platform");
        Platform parsed;
        try {
            parsed = platform == null ? Platform.WECHAT : Platform.valueOf(platform.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("platform must be WECHAT or WECOM: " + platform);
        }
        String appid = required(body, "appid");
        simulator.registerApp(appid, required(body, "secret"), parsed);
        return SimResponse.json(200, Map.of("appid", appid, "platform", parsed.name()));
    }

    private SimResponse changeSecret(SimRequest request, String path) {
        String appid = path.substring("/apps/".length(), path.length() - "/secret".length());
        Map<String, Object> body = request.json();
        String oldSecret = Json.text(body, "old_secret");
        if (oldSecret == null) {
            simulator.changeSecret(appid, required(body, "secret"));
        } else {
            simulator.changeSecret(appid, oldSecret, required(body, "secret"));
        }
        return SimResponse.json(200, Map.of("appid", appid));
    }

    private SimResponse injectFault(SimRequest request) {
        Map<String, Object> body = request.json();
        String endpoint = required(body, "endpoint");
        String appid = Json.text(body, "appid");
        int times = body.containsKey("times") ? intValue(body, "times") : 1;
        Fault fault;
        if (body.get("errcode") != null) {
            fault = Fault.errcode(endpoint, appid, intValue(body, "errcode"), Json.text(body, "errmsg"), times);
        } else if (body.get("latency_ms") != null) {
            fault = Fault.latency(endpoint, appid, Duration.ofMillis(longValue(body, "latency_ms")), times);
        } else if (Json.flag(body, "hang")) {
            fault = Fault.hang(endpoint, appid, times);
        } else if (body.get("http_status") != null) {
            fault = Fault.httpStatus(endpoint, appid, intValue(body, "http_status"), times);
        } else {
            throw new IllegalArgumentException("a fault needs one of errcode, latency_ms, hang:true, http_status");
        }
        simulator.injectFault(fault);
        return SimResponse.json(200, Map.of("kind", fault.kind().name(), "endpoint", endpoint, "times", times));
    }

    private SimResponse invalidate(SimRequest request) {
        boolean known = simulator.invalidateToken(required(request.json(), "access_token"));
        return SimResponse.json(200, Map.of("invalidated", known));
    }

    private SimResponse validity(SimRequest request) {
        TokenValidity validity = simulator.tokenValidity(requiredParam(request, "access_token"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", validity.valid());
        body.put("appid", validity.appid());
        body.put("expires_at", validity.expiresAt() == null ? null : validity.expiresAt().getEpochSecond());
        return SimResponse.json(200, body);
    }

    private SimResponse ticketValidity(SimRequest request) {
        TicketValidity validity = simulator.ticketValidity(requiredParam(request, "ticket"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", validity.valid());
        body.put("appid", validity.appid());
        body.put("type", validity.type());
        body.put("expires_at", validity.expiresAt() == null ? null : validity.expiresAt().getEpochSecond());
        return SimResponse.json(200, body);
    }

    private SimResponse tokensIssued(SimRequest request) {
        String appid = requiredParam(request, "appid");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appid", appid);
        body.put("issued", simulator.tokensIssued(appid));
        return SimResponse.json(200, body);
    }

    private SimResponse advanceClock(SimRequest request) {
        Map<String, Object> body = request.json();
        Object seconds = body.get("seconds");
        if (!(seconds instanceof Number number) || number.doubleValue() < 0) {
            throw new IllegalArgumentException("seconds must be a non-negative number");
        }
        simulator.clock().advance(Duration.ofMillis(Math.round(number.doubleValue() * 1000)));
        return clock();
    }

    private SimResponse clock() {
        Instant now = simulator.clock().now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", now.getEpochSecond());
        body.put("now_iso", now.toString());
        body.put("quota_day", simulator.clock().quotaDay().toString());
        return SimResponse.json(200, body);
    }

    private Map<String, Object> settings() {
        SimulatorSettings s = simulator.settings();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_lifetime_seconds", s.tokenLifetime().toSeconds());
        body.put("classic_grace_period_seconds", s.classicGracePeriod().toSeconds());
        body.put("stable_rotation_window_seconds", s.stableRotationWindow().toSeconds());
        body.put("classic_daily_quota", s.classicDailyQuota());
        body.put("stable_daily_quota", s.stableDailyQuota());
        body.put("stable_minute_quota", s.stableMinuteQuota());
        body.put("force_refresh_daily_limit", s.forceRefreshDailyLimit());
        body.put("force_refresh_min_interval_seconds", s.forceRefreshMinInterval().toSeconds());
        body.put("code_lifetime_seconds", s.codeLifetime().toSeconds());
        body.put("ticket_lifetime_seconds", s.ticketLifetime().toSeconds());
        body.put("clear_quota_monthly_limit", s.clearQuotaMonthlyLimit());
        body.put("login_user_minute_limit", s.loginUserMinuteLimit());
        body.put("phone_number_minute_quota", s.phoneNumberMinuteQuota());
        body.put("phone_country_code_as_number", s.phoneCountryCodeAsNumber());
        body.put("wecom_corp_ticket_hourly_limit", s.wecomCorpTicketHourlyLimit());
        body.put("wecom_app_ticket_hourly_limit", s.wecomAppTicketHourlyLimit());
        return body;
    }

    private static SimResponse done(Runnable action) {
        action.run();
        return SimResponse.json(200, Map.of("ok", true));
    }

    private static SimResponse notAllowed() {
        return SimResponse.controlError(405, "method not allowed");
    }

    private static boolean knownPath(String path) {
        return MiniProgramControl.PATHS.contains(path) || switch (path) {
            case "/apps", "/faults", "/tokens/invalidate", "/tokens/validity", "/tickets/validity", "/tokens-issued",
                    "/counters", "/clock/advance", "/clock", "/reset", "/health", "/settings" -> true;
            default -> false;
        };
    }

    static String required(Map<String, Object> body, String field) {
        String value = Json.text(body, field);
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String requiredParam(SimRequest request, String name) {
        String value = request.param(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " query parameter is required");
        }
        return value;
    }

    private static int intValue(Map<String, Object> body, String field) {
        long value = longValue(body, field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " is out of range");
        }
        return (int) value;
    }

    private static long longValue(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a number");
        }
    }
}
