package dev.tokencenter.miniprogram;

import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mini program operation is in /v3/api-docs with a summary, its request body's shape and its answers. */
@IntegrationTest
class MiniProgramOpenApiTest {

    private static final String BASE = "/v1/miniprogram/{tenant}/{app}/{env}";

    @Autowired
    ApplicationContext context;

    @Test
    void everyOperationIsDescribedWithItsBodyAndAnswers() {
        byte[] body = TokenApiFixture.http(context).get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        JsonNode spec = MiniProgramApi.JSON.readTree(body);
        Map<String, List<String>> operations = Map.of(
                "post " + BASE + "/sessions", List.of("201", "400", "401", "403", "404", "409", "429", "502", "503"),
                "post " + BASE + "/sessions/{session}/decrypt", List.of("200", "400", "401", "403", "404", "409", "429", "503"),
                "post " + BASE + "/sessions/{session}/check", List.of("200", "401", "403", "404", "409", "502", "503"),
                "delete " + BASE + "/sessions/{session}", List.of("204", "401", "403", "404", "409", "503"),
                "post " + BASE + "/phone-number", List.of("200", "400", "401", "403", "404", "409", "429", "502", "503"));
        operations.forEach((operation, statuses) -> {
            String[] methodAndPath = operation.split(" ");
            JsonNode described = spec.path("paths").path(methodAndPath[1]).path(methodAndPath[0]);
            assertThat(described.path("summary").asString()).as(operation).isNotBlank();
            assertThat(described.path("security").get(0).has("clientKey")).as(operation).isTrue();
            assertThat(described.path("responses").propertyNames()).as(operation).containsExactlyInAnyOrderElementsOf(statuses);
        });

        assertThat(schema(spec, "MiniProgramLoginRequest").path("required").toString()).contains("code");
        assertThat(schema(spec, "MiniProgramDecryptRequest").path("properties").propertyNames())
                .containsExactlyInAnyOrder("encrypted_data", "iv");
        assertThat(schema(spec, "PhoneNumberRequest").path("properties").propertyNames())
                .containsExactlyInAnyOrder("code", "openid");
        assertThat(schema(spec, "MiniProgramSession").path("properties").propertyNames())
                .containsExactlyInAnyOrder("openid", "unionid", "session_id", "expires_at");
        assertThat(schema(spec, "PhoneNumber").path("properties").propertyNames())
                .containsExactlyInAnyOrder("phone_number", "pure_phone_number", "country_code", "watermark");
    }

    private static JsonNode schema(JsonNode spec, String name) {
        JsonNode schema = spec.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as(name).isFalse();
        return schema;
    }
}
