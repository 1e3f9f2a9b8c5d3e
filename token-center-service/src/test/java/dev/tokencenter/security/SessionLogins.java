package dev.tokencenter.security;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/** The UI's way in: a CSRF token from any admin page, then the login form with it. */
final class SessionLogins {

    record Session(String id, String csrf) {
    }

    private SessionLogins() {
    }

    static String csrfToken(WebTestClient client) {
        ResponseCookie cookie = client.get().uri("/admin/index.html").exchange().returnResult(String.class)
                .getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(cookie).isNotNull();
        return cookie.getValue();
    }

    /** POST /admin/login with a fresh CSRF token; the caller checks the answer. */
    static WebTestClient.ResponseSpec submit(WebTestClient client, String username, String password) {
        return submit(client, csrfToken(client), username, password);
    }

    static Session login(WebTestClient client, String username, String password) {
        String csrf = csrfToken(client);
        EntityExchangeResult<String> result = submit(client, csrf, username, password)
                .expectStatus().isOk().expectBody(String.class).returnResult();
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        assertThat(session).isNotNull();
        ResponseCookie renewed = result.getResponseCookies().getFirst("XSRF-TOKEN");
        return new Session(session.getValue(), renewed != null && !renewed.getValue().isEmpty() ? renewed.getValue() : csrf);
    }

    private static WebTestClient.ResponseSpec submit(WebTestClient client, String csrf, String username, String password) {
        return client.post().uri("/admin/login").cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(username, password))).exchange();
    }

    static LinkedMultiValueMap<String, String> form(String username, String password) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", username);
        form.add("password", password);
        return form;
    }
}
