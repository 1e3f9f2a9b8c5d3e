package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml: the services a two-instance cluster needs, ports that keep management off the published
 * address, environment variables the service actually reads, and mounted files that exist.
 */
class ComposeFileTest {

    private static final List<String> INSTANCES = List.of("token-center-1", "token-center-2");

    private final JsonNode compose = RepositoryFiles.yaml("docker-compose.yml");

    @Test
    void hasEveryServiceOfTheCluster() {
        assertThat(names(compose.get("services"))).containsExactlyInAnyOrder("postgres", "redis", "wechat-simulator",
                "token-center-1", "token-center-2", "token-center", "prometheus", "grafana");
        assertThat(service("wechat-simulator").get("profiles")).extracting(JsonNode::asText).containsExactly("demo");
        assertThat(service("token-center").get("image").asText()).startsWith("nginx:");
        for (String instance : INSTANCES) {
            assertThat(service(instance).get("image").asText()).as(instance).contains("token-center:");
            assertThat(service(instance).has("ports")).as(instance + " is reached only through the proxy").isFalse();
            assertThat(service(instance).has("volumes")).as(instance + " is configured by environment only").isFalse();
            assertThat(service(instance).at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
            assertThat(service(instance).at("/depends_on/redis/condition").asText()).isEqualTo("service_healthy");
        }
    }

    @Test
    void oneAddressSpreadsOverBothInstancesAndManagementStaysInside() {
        assertThat(service("token-center").get("ports")).extracting(JsonNode::asText).containsExactly("8080:8080");
        String port = environment("token-center-1").get("PORT").asText();
        String managementPort = environment("token-center-1").get("MANAGEMENT_SERVER_PORT").asText();
        assertThat(managementPort).isNotEqualTo(port);

        Matcher servers = Pattern.compile("server\\s+([a-z0-9-]+):(\\d+)").matcher(RepositoryFiles.read("deploy/compose/nginx.conf"));
        List<String> upstream = new ArrayList<>();
        while (servers.find()) {
            upstream.add(servers.group(1) + ":" + servers.group(2));
        }
        assertThat(upstream).containsExactly("token-center-1:" + port, "token-center-2:" + port);

        JsonNode targets = RepositoryFiles.yaml("deploy/prometheus/prometheus.yml").at("/scrape_configs/0/static_configs/0/targets");
        assertThat(targets).extracting(JsonNode::asText)
                .containsExactly("token-center-1:" + managementPort, "token-center-2:" + managementPort);
    }

    @Test
    void instancesSetOnlyVariablesTheServiceReadsAndEveryRequiredOne() {
        Set<String> known = ServiceSettings.knownVariables(OperationsDocsTest.documentedProperties());
        for (String instance : INSTANCES) {
            Set<String> variables = new TreeSet<>(names(environment(instance)));
            assertThat(known).as(instance).containsAll(variables);
            assertThat(variables).as(instance).contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                    "SPRING_DATASOURCE_PASSWORD", "TOKEN_CENTER_REDIS_ADDRESS", "TOKEN_CENTER_MASTER_KEYS");
        }
        assertThat(environment("token-center-1").get("SPRING_DATASOURCE_URL").asText())
                .isEqualTo("jdbc:postgresql://postgres:5432/" + service("postgres").at("/environment/POSTGRES_DB").asText());
        assertThat(environment("token-center-1").get("SPRING_DATASOURCE_PASSWORD").asText())
                .isEqualTo(service("postgres").at("/environment/POSTGRES_PASSWORD").asText());
        assertThat(environment("token-center-1").get("TOKEN_CENTER_MASTER_KEYS").asText())
                .as("no master key in the file").startsWith("${TOKEN_CENTER_MASTER_KEYS:?");
    }

    @Test
    void mountedFilesExistInTheRepositoryOrAreBuildOutputsOfAModule() {
        List<String> mounts = new ArrayList<>();
        compose.get("services").forEach(service -> {
            if (service.has("volumes")) {
                service.get("volumes").forEach(volume -> mounts.add(volume.asText()));
            }
        });
        assertThat(mounts).contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
                "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        for (String mount : mounts) {
            String source = mount.split(":")[0];
            if (!source.startsWith("./")) {
                assertThat(names(compose.get("volumes"))).as("named volume " + source).contains(source);
                continue;
            }
            Path path = RepositoryFiles.path(source.substring(2));
            int target = source.indexOf("/target/");
            if (target > 0) {
                assertThat(RepositoryFiles.path(source.substring(2, target)).resolve("pom.xml"))
                        .as("module that builds " + source).exists();
            } else {
                assertThat(Files.exists(path)).as(source).isTrue();
            }
        }
    }

    private JsonNode service(String name) {
        JsonNode service = compose.get("services").get(name);
        assertThat(service).as("service " + name).isNotNull();
        return service;
    }

    private JsonNode environment(String instance) {
        return service(instance).get("environment");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
