package dev.tokencenter.miniprogram;

import dev.tokencenter.support.TokenApiFixture.Credential;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The mini program API as a client calls it, over HTTP. */
final class MiniProgramApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PROBLEMS = "https://token-center.dev/problems/";

    private final WebTestClient http;

    MiniProgramApi(WebTestClient http) {
        this.http = http;
    }

    static String base(Credential credential) {
        return "/v1/miniprogram/" + credential.key().tenant() + "/" + credential.key().app() + "/" + credential.key().env();
    }

    Answer login(Credential credential, String key, String code) {
        return post(base(credential) + "/sessions", key, Map.of("code", code));
    }

    Answer decrypt(Credential credential, String key, String session, String data, String iv) {
        return post(base(credential) + "/sessions/" + session + "/decrypt", key, Map.of("encrypted_data", data, "iv", iv));
    }

    Answer check(Credential credential, String key, String session) {
        return Answer.of(http.post().uri(base(credential) + "/sessions/" + session + "/check")
                .headers(headers -> headers.setBearerAuth(key)).exchange());
    }

    Answer logout(Credential credential, String key, String session) {
        return Answer.of(http.delete().uri(base(credential) + "/sessions/" + session)
                .headers(headers -> headers.setBearerAuth(key)).exchange());
    }

    Answer phoneNumber(Credential credential, String key, String code) {
        return post(base(credential) + "/phone-number", key, Map.of("code", code));
    }

    Answer post(String path, String key, Object body) {
        // bytes: the test's own client would log a body it encodes, and the leak search looks at every log line
        return Answer.of(http.post().uri(path).headers(headers -> headers.setBearerAuth(key))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body)).exchange());
    }

    /** What came back: status, headers and the body as JSON (null when there is none). */
    record Answer(int status, HttpHeaders headers, JsonNode json, String raw) {

        static Answer of(WebTestClient.ResponseSpec response) {
            EntityExchangeResult<byte[]> result = response.expectBody().returnResult();
            byte[] body = result.getResponseBody();
            String raw = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return new Answer(result.getStatus().value(), result.getResponseHeaders(),
                    raw.isEmpty() ? null : JSON.readTree(raw), raw);
        }

        Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }

        /** Asserts a problem of this status and type; returns it. */
        Answer problem(int expected, String slug) {
            expect(expected);
            if (json == null || !json.path("type").asString("").equals(PROBLEMS + slug)) {
                throw new AssertionError("expected problem " + slug + " but got " + raw);
            }
            if (!String.valueOf(headers.getContentType()).startsWith("application/problem+json")) {
                throw new AssertionError("not a problem+json answer: " + headers.getContentType());
            }
            return this;
        }

        String text(String field) {
            return json.path(field).asString();
        }
    }
}
