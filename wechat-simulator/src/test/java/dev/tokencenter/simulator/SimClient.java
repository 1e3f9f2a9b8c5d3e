package dev.tokencenter.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny JSON client for the simulator, on java.net.http. */
final class SimClient {

    /** An HTTP answer: status, content type, raw text and (when it is a JSON object) the parsed body. */
    record Reply(int status, String contentType, String text, Map<String, Object> json) {

        Object get(String field) {
            return json.get(field);
        }

        String string(String field) {
            Object value = json.get(field);
            return value == null ? null : value.toString();
        }

        int errcode() {
            Object value = json.get("errcode");
            return value == null ? 0 : ((Number) value).intValue();
        }

        long number(String field) {
            return ((Number) json.get(field)).longValue();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(String field) {
            return (Map<String, Object>) json.get(field);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    SimClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Reply get(String path, String... nameValues) {
        return send(HttpRequest.newBuilder(uri(path, nameValues)).GET(), Duration.ofSeconds(10));
    }

    Reply post(String path, Object body, String... nameValues) {
        return send(HttpRequest.newBuilder(uri(path, nameValues))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))), Duration.ofSeconds(10));
    }

    Reply put(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))), Duration.ofSeconds(10));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), Duration.ofSeconds(10));
    }

    /** GET with a short client timeout; throws {@link java.net.http.HttpTimeoutException} when it expires. */
    Reply getWithTimeout(Duration timeout, String path, String... nameValues) throws IOException, InterruptedException {
        return parse(HTTP.send(HttpRequest.newBuilder(uri(path, nameValues)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** POST with a client timeout and no automatic retry (POST is not idempotent). */
    Reply postWithTimeout(Duration timeout, String path, Object body) throws IOException, InterruptedException {
        return parse(HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    // ---- WeChat calls used by many tests ----

    Reply classicToken(String appid, String secret) {
        return get("/cgi-bin/token", "grant_type", "client_credential", "appid", appid, "secret", secret);
    }

    Reply stableToken(String appid, String secret, boolean forceRefresh) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credential");
        body.put("appid", appid);
        body.put("secret", secret);
        body.put("force_refresh", forceRefresh);
        return post("/cgi-bin/stable_token", body);
    }

    Reply wecomToken(String corpid, String corpsecret) {
        return get("/cgi-bin/gettoken", "corpid", corpid, "corpsecret", corpsecret);
    }

    Reply jscode2session(String appid, String secret, String code) {
        return get("/sns/jscode2session", "appid", appid, "secret", secret, "js_code", code,
                "grant_type", "authorization_code");
    }

    Reply phoneNumber(String accessToken, String code) {
        return post("/wxa/business/getuserphonenumber", Map.of("code", code), "access_token", accessToken);
    }

    Reply checkSession(String accessToken, String openid, String signature) {
        return get("/wxa/checksession", "access_token", accessToken, "openid", openid, "signature", signature,
                "sig_method", "hmac_sha256");
    }

    Reply ticket(String accessToken) {
        return get("/cgi-bin/ticket/getticket", "access_token", accessToken, "type", "jsapi");
    }

    private Reply send(HttpRequest.Builder builder, Duration timeout) {
        try {
            return parse(HTTP.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply parse(HttpResponse<String> response) {
        String text = response.body();
        Map<String, Object> json;
        try {
            json = Json.readObject(text.getBytes(StandardCharsets.UTF_8));
        } catch (Json.BadJson e) {
            json = Map.of();
        }
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), text, json);
    }

    private URI uri(String path, String... nameValues) {
        StringBuilder url = new StringBuilder(baseUrl).append(path);
        for (int i = 0; i < nameValues.length; i += 2) {
            url.append(i == 0 ? '?' : '&')
                    .append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(url.toString());
    }
}
