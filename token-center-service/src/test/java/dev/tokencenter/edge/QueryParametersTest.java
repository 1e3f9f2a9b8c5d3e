package dev.tokencenter.edge;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;

import java.net.URI;
import java.net.URISyntaxException;

import static org.assertj.core.api.Assertions.assertThat;

/** The route reads a query exactly as WebFlux does, and leaves to WebFlux every query it would refuse. */
class QueryParametersTest {

    private static final String[] NAMES = {"grant_type", "appid", "secret"};

    @Test
    void readsTheFirstValueOfEachNameAsWebFluxDoes() {
        String[] queries = {
                "grant_type=client_credential&appid=wx1&secret=tck_a_b",
                "appid=wx1&appid=wx2", "appid&appid=wx2", "appid=&secret=s", "appid", "secret=a=b&appid==x",
                "&&appid=wx1&&", "", "x=1&app%69d=wx3&appid=wx4", "appid=wx%31&secret=a+b%2Bc", "appid=%E4%BD%A0",
                "appid=%FF%FE", "APPID=wx1&appid=wx2", "grant_type=client_credential;appid=wx1", "appid=wx1&secret",
                "secret=" + "k".repeat(300) + "&appid=wx9", "appid=a/b?c:d@e!$'()*,;", "appid=wx1&=x&secret=s"};
        for (String query : queries) {
            String target = "/cgi-bin/token?" + query;
            assertThat(QueryParameters.plain(target, target.indexOf('?') + 1)).as(query).isTrue();
            String[] values = QueryParameters.first(target, target.indexOf('?') + 1, NAMES);
            if (values == null) {
                assertThat(query).as("declined only for a pair starting with =").contains("&=");
                continue;
            }
            MultiValueMap<String, String> webFlux = webFlux(target).getQueryParams();
            for (int i = 0; i < NAMES.length; i++) {
                assertThat(values[i]).as(query + ": " + NAMES[i]).isEqualTo(webFlux.getFirst(NAMES[i]));
            }
        }
    }

    @Test
    void leavesToWebFluxEveryQueryAUriCannotHold() throws URISyntaxException {
        for (String query : new String[] {"appid=a|b", "appid=a b", "appid=%zz", "appid=%4", "appid=\"x\"", "a=<b>",
                "a=b#c", "a=[1]", "a=\u00e9", "a=\u0001", "a=^", "a={x}", "a=`", "a=\\"}) {
            assertThat(QueryParameters.plain("/x?" + query, 3)).as(query).isFalse();
        }
        // and what it reads itself, a URI does hold
        String everything = "az09-._~!$&'()*+,;=:@/?%2Fx";
        assertThat(QueryParameters.plain("/x?" + everything, 3)).isTrue();
        assertThat(new URI("http://127.0.0.1:8080/x?" + everything).getRawQuery()).isEqualTo(everything);
    }

    private static MockServerHttpRequest webFlux(String target) {
        return MockServerHttpRequest.method(HttpMethod.GET, URI.create(target)).build();
    }
}
