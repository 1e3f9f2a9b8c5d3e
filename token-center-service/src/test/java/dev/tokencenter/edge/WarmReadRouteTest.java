package dev.tokencenter.edge;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.compat.WarmCompatReads;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import dev.tokencenter.token.TokenReadFastPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.tokencenter.edge.RawConnection.get;
import static dev.tokencenter.edge.RawConnection.postJson;
import static dev.tokencenter.edge.RawConnection.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route ahead of WebFlux, over plain sockets on keep-alive connections: a warm read of each endpoint is answered
 * byte for byte as the full chain answers it (but for the token's countdown), whatever the route declines reaches
 * WebFlux unchanged on the same connection (a stable_token body included), and pipelined requests are answered in order.
 * That the management server does not serve the route is checked by MetricsAndHealthTest, whose instance has a
 * management server of its own (see StandaloneInstance).
 */
@IntegrationTest
class WarmReadRouteTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    ApiClientDirectory clients;

    @Autowired
    TokenReadFastPath tokenReads;

    @Autowired
    WarmCompatReads compatReads;

    TokenApiFixture fixture;
    Credential classic;
    Credential stable;
    Credential wecom;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        String tenant = fixture.tenant();
        classic = fixture.wechat(tenant, "shop", "prod");
        stable = fixture.wechat(tenant, "shop", "test");
        wecom = fixture.wecom(tenant, "hr", "prod");
    }

    @Test
    void answersAWarmReadOfEachEndpointByteForByteAsTheFullChain() throws Exception {
        CreatedClient viaFastPath = warmClient();
        CreatedClient viaChain = client();
        List<Function<String, String>> requests = List.of(
                key -> get(classic.path(), "Authorization: Bearer " + key),
                key -> get(tokenCall(classic.appid(), key)),
                key -> postJson("/cgi-bin/stable_token", stableBody(stable.appid(), key, "false")),
                key -> get("/cgi-bin/gettoken?corpid=" + wecom.appid() + "&corpsecret=" + key));
        try (RawConnection connection = new RawConnection(port)) {
            for (Function<String, String> request : requests) {
                long before = answeredByFastPath();
                String fast = connection.exchange(request.apply(viaFastPath.key()));
                assertThat(answeredByFastPath() - before).as(fast).isEqualTo(1);

                clients.evict(viaChain.clientId());   // not in memory: the route hands the call to WebFlux
                String full = connection.exchange(request.apply(viaChain.key()));
                assertThat(answeredByFastPath() - before).as(full).isEqualTo(1);

                assertThat(status(fast)).isEqualTo(200);
                assertThat(withoutCountdown(fast)).isEqualTo(withoutCountdown(full));
            }
        }
    }

    @Test
    void handsWhatItDeclinesToWebFluxOnTheSameConnection() throws Exception {
        CreatedClient client = warmClient();
        String key = client.key();
        try (RawConnection connection = new RawConnection(port)) {
            for (Call call : calls(key)) {
                long before = answeredByFastPath();
                String answer = connection.exchange(call.request());
                assertThat(status(answer)).as(call.request()).isEqualTo(call.status());
                assertThat(answeredByFastPath() - before).as(call.request()).isEqualTo(call.byFastPath() ? 1 : 0);
                if (call.token()) {
                    assertThat(answer).as(call.request()).contains("\"access_token\":\"");
                }
            }
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        CreatedClient client = warmClient();
        List<Call> calls = calls(client.key());
        long before = answeredByFastPath();
        List<Integer> statuses = new ArrayList<>();
        try (RawConnection connection = new RawConnection(port)) {
            StringBuilder pipeline = new StringBuilder();
            calls.forEach(call -> pipeline.append(call.request()));
            connection.send(pipeline.toString());
            for (int i = 0; i < calls.size(); i++) {
                statuses.add(status(connection.next()));
            }
        }
        assertThat(statuses).isEqualTo(calls.stream().map(Call::status).toList());
        assertThat(answeredByFastPath() - before).isEqualTo(calls.stream().filter(Call::byFastPath).count());
    }

    @Test
    void answersAStableTokenBodyWhetherItComesWithItsHeadOrAfterIt() throws Exception {
        // two clients: a second call by the same one would be a repeated fetch, which the route leaves to the handler
        String lateRequest = postJson("/cgi-bin/stable_token", stableBody(stable.appid(), warmClient().key(), "false"));
        String request = postJson("/cgi-bin/stable_token", stableBody(stable.appid(), warmClient().key(), "false"));
        int headEnd = lateRequest.indexOf("\r\n\r\n") + 4;
        long before = answeredByFastPath();
        try (RawConnection connection = new RawConnection(port)) {
            connection.send(lateRequest.substring(0, headEnd));
            Thread.sleep(200); // the head is read on its own
            connection.send(lateRequest.substring(headEnd));
            String late = connection.next();
            String together = connection.exchange(request);
            for (String answer : List.of(late, together)) {
                assertThat(status(answer)).as(answer).isEqualTo(200);
                assertThat(answer).contains("\"access_token\":\"");
            }
            assertThat(withoutCountdown(late)).isEqualTo(withoutCountdown(together));
        }
        assertThat(answeredByFastPath() - before).isEqualTo(2);
    }

    /** Calls by one client on one connection, what each is answered with and whether the route answers it. */
    private List<Call> calls(String key) {
        String read = classic.path();
        return List.of(
                // a stable_token body the route does not read itself reaches the handler intact: the token
                new Call(postJson("/cgi-bin/stable_token", stableBody(stable.appid(), key, "false")
                        .replace("}", ",\"lang\":\"zh_CN\"}")), 200, false, true),
                new Call(get(read, "Authorization: Bearer " + key), 200, true, true),
                new Call(get(read + "?x=1&y", "Authorization: Bearer " + key), 200, true, true),
                // a request target WebFlux cannot parse: its 400, not a token
                new Call(get(read + "?x|y", "Authorization: Bearer " + key), 400, false, false),
                new Call(get(tokenCall(classic.appid(), key) + "&x=%zz"), 400, false, false),
                new Call(get(read, "Authorization: Basic " + key), 401, false, false),
                new Call(get(read + "/", "Authorization: Bearer " + key), 404, false, false),
                // names and values decoded as WebFlux decodes them
                new Call(get("/cgi-bin/gettoken?corp%69d=" + wecom.appid() + "&corpsecret=" + key + "&corpid=x"),
                        200, true, true),
                new Call(get(tokenCall(classic.appid(), key)), 200, true, true),
                new Call(get("/cgi-bin/token?grant_type=client_credential&appid=wx0&appid=" + classic.appid()
                        + "&secret=" + key), 200, false, false),   // the first AppID counts: unknown, a WeChat error
                new Call(postJson("/cgi-bin/stable_token", stableBody(stable.appid(), key + "x", "false")), 200, false, false),
                new Call(postJson("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\""), 200, false, false),
                new Call(get(read, "Authorization: Bearer " + key), 200, true, true));
    }

    private CreatedClient client() {
        return fixture.client(classic.path().split("/")[3], "shop/*", "hr/*");
    }

    /** A client whose key and tokens are in this instance's memory, as after any earlier read. */
    private CreatedClient warmClient() throws Exception {
        CreatedClient client = client();
        // the echo of the client's creation on the client-change topic may empty the instance's memory once more
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(100)).until(() -> {
            try (RawConnection connection = new RawConnection(port)) {
                for (Credential credential : List.of(classic, stable, wecom)) {
                    String answer = connection.exchange(get(credential.path(), "Authorization: Bearer " + client.key()));
                    assertThat(status(answer)).as(answer).isEqualTo(200);
                }
            }
            return clients.verifiedFromMemory(client.key()) != null;
        });
        return client;
    }

    private long answeredByFastPath() {
        return tokenReads.answered() + compatReads.answered();
    }

    private static String tokenCall(String appid, String key) {
        return "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=" + key;
    }

    private static String stableBody(String appid, String key, String forceRefresh) {
        return "{\"grant_type\":\"client_credential\",\"appid\":\"" + appid + "\",\"secret\":\"" + key
                + "\",\"force_refresh\":" + forceRefresh + "}";
    }

    private static String withoutCountdown(String answer) {
        return answer.replaceAll("\"expires_in\":\\d+", "\"expires_in\":N")
                .replaceAll("max-age=\\d+", "max-age=N")
                .replaceAll("(?i)(\r\n" + HttpHeaders.CONTENT_LENGTH + ": )\\d+", "$1N");
    }

    private record Call(String request, int status, boolean byFastPath, boolean token) {
    }
}
