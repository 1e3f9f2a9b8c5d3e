package dev.tokencenter.security;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests must carry the CSRF token (the rule in {@link CsrfRequiredMatcher}), without a server. */
class CsrfRequiredMatcherTest {

    private static final String LOGIN = "/admin/api/session/login";
    private static final String LOGOUT = "/admin/api/session/logout";
    private static final String BASIC = "Basic YWRtaW46c2VjcmV0";

    private final CsrfRequiredMatcher matcher = new CsrfRequiredMatcher(LOGIN, LOGOUT);

    @Test
    void safeMethodsNeverNeedIt() {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE}) {
            assertThat(required(MockServerHttpRequest.method(method, "/admin/api/tenants")
                    .header(HttpHeaders.COOKIE, "SESSION=abc"))).as("%s", method).isFalse();
        }
    }

    @Test
    void aSessionCookieRidesOnEveryUnsafeRequestSoItNeedsTheToken() {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
            assertThat(required(MockServerHttpRequest.method(method, "/admin/api/tenants")
                    .header(HttpHeaders.COOKIE, "SESSION=abc"))).as("%s", method).isTrue();
        }
    }

    @Test
    void basicCredentialsOfAClientThatIsNoBrowserAreExempt() {
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC))).isFalse();
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, "basic YWRtaW46c2VjcmV0")))
                .isFalse();
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC)
                .header("Sec-Fetch-Site", "none"))).isFalse();
    }

    @Test
    void basicCredentialsABrowserSendsNeedTheTokenEvenFromThisSite() {
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC)
                .header("Sec-Fetch-Site", "same-origin"))).isTrue();
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC)
                .header(HttpHeaders.ORIGIN, "https://token-center.example"))).isTrue();
    }

    @Test
    void basicCredentialsABrowserReplaysForAnotherSiteAreNot() {
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC)
                .header("Sec-Fetch-Site", "cross-site"))).isTrue();
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, BASIC)
                .header("Sec-Fetch-Site", "same-site"))).isTrue();
        assertThat(required(post("/admin/api/tenants").header(HttpHeaders.AUTHORIZATION, "Bearer abc")))
                .as("only Basic credentials are the request's own").isTrue();
    }

    @Test
    void aRequestWithNoCredentialsAtAllHasNothingToRideOn() {
        assertThat(required(post("/admin/api/tenants"))).isFalse();
    }

    @Test
    void loginAndLogoutAlwaysNeedIt() {
        assertThat(required(post(LOGIN))).isTrue();
        assertThat(required(post(LOGOUT).header(HttpHeaders.AUTHORIZATION, BASIC))).isTrue();
    }

    private boolean required(MockServerHttpRequest.BaseBuilder<?> request) {
        return Boolean.TRUE.equals(matcher.matches(MockServerWebExchange.from(request)).map(result -> result.isMatch())
                .block());
    }

    private static MockServerHttpRequest.BodyBuilder post(String path) {
        return MockServerHttpRequest.post(path);
    }
}
