package dev.tokencenter.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** deploy/helm/token-center, linted strictly and rendered offline by Helm 3, read back as Kubernetes objects. */
class HelmChartTest {

    private static final Path CHART = RepositoryFiles.path("deploy/helm/token-center");
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    @TempDir
    Path temp;

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void deploymentRunsSeveralNonRootReplicasWithRollingUpdatesAndProbesOnTheManagementPort() throws IOException {
        List<HasMetadata> objects = render("");
        Deployment deployment = only(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getImage()).isEqualTo("token-center:0.1.0-SNAPSHOT");

        Map<String, Integer> ports = container.getPorts().stream()
                .collect(Collectors.toMap(port -> port.getName(), port -> port.getContainerPort()));
        assertThat(ports).containsEntry("http", 8080).containsEntry("management", 8081);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(value(container, "MANAGEMENT_SERVER_PORT")).isEqualTo("8081");
        assertThat(value(container, "PORT")).isEqualTo("8080");
    }

    @Test
    void secretsComeOnlyFromKubernetesSecrets() throws IOException {
        Container container = container(render("""
                adminBootstrap:
                  secret:
                    name: token-center-admin
                redis:
                  secret:
                    name: token-center-redis
                """));
        assertThat(secretRef(container, "SPRING_DATASOURCE_USERNAME")).isEqualTo("token-center-database/username");
        assertThat(secretRef(container, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("token-center-database/password");
        assertThat(secretRef(container, "TOKEN_CENTER_MASTER_KEYS")).isEqualTo("token-center-master-keys/master-keys");
        assertThat(secretRef(container, "TOKEN_CENTER_REDIS_PASSWORD")).isEqualTo("token-center-redis/password");
        assertThat(secretRef(container, "TOKEN_CENTER_ADMIN_PASSWORD")).isEqualTo("token-center-admin/password");
        for (EnvVar variable : container.getEnv()) {
            if (variable.getName().matches(".*(PASSWORD|KEYS|USERNAME)")) {
                assertThat(variable.getValue()).as(variable.getName() + " has no literal value").isNull();
            }
        }
        Set<String> known = ServiceSettings.knownVariables(OperationsDocsTest.documentedProperties());
        assertThat(known).containsAll(container.getEnv().stream().map(EnvVar::getName).toList());

        Container withoutOptional = container(render(""));
        assertThat(withoutOptional.getEnv()).extracting(EnvVar::getName)
                .doesNotContain("TOKEN_CENTER_REDIS_PASSWORD", "TOKEN_CENTER_ADMIN_USERNAME");
    }

    @Test
    void servicesDisruptionBudgetAndNoServiceMonitorByDefault() throws IOException {
        List<HasMetadata> objects = render("");
        Deployment deployment = only(objects, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());

        List<Service> services = all(objects, Service.class);
        assertThat(services).extracting(service -> service.getMetadata().getName())
                .containsExactlyInAnyOrder("tc-token-center", "tc-token-center-management");
        Service api = services.stream().filter(service -> service.getMetadata().getName().equals("tc-token-center")).findFirst().orElseThrow();
        assertThat(api.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(podLabels).containsAllEntriesOf(api.getSpec().getSelector());
        assertThat(objects).noneMatch(object -> object.getKind().equals("ServiceMonitor"));
    }

    @Test
    void serviceMonitorScrapesTheManagementServiceWhenEnabled() throws IOException {
        List<HasMetadata> objects = render("""
                serviceMonitor:
                  enabled: true
                  labels:
                    release: prometheus
                """);
        GenericKubernetesResource monitor = objects.stream().filter(object -> object.getKind().equals("ServiceMonitor"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        Map<String, Object> endpoint = monitor.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
        assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        Service management = all(objects, Service.class).stream()
                .filter(service -> service.getMetadata().getName().endsWith("-management")).findFirst().orElseThrow();
        assertThat(management.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(management.getSpec().getPorts()).extracting(port -> port.getName()).containsExactly("management");
        assertThat(management.getMetadata().getLabels())
                .containsEntry(monitor.get("spec", "jobLabel"), "token-center");
    }

    @Test
    void alertRulesAsAPrometheusRuleWhenEnabled() throws IOException {
        assertThat(render("")).noneMatch(object -> object.getKind().equals("PrometheusRule"));
        assertThat(CHART.resolve("files/alerts.yml")).as("the chart's copy of the alert rules")
                .hasSameTextualContentAs(RepositoryFiles.path("deploy/prometheus/alerts.yml"));

        GenericKubernetesResource rule = render("""
                prometheusRule:
                  enabled: true
                  labels:
                    release: prometheus
                """).stream().filter(object -> object.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
        List<Map<String, Object>> groups = rule.get("spec", "groups");
        List<String> alerts = new ArrayList<>();
        for (Map<String, Object> group : groups) {
            for (Object item : (List<?>) group.get("rules")) {
                alerts.add((String) ((Map<?, ?>) item).get("alert"));
            }
        }
        List<String> expected = new ArrayList<>();
        RepositoryFiles.yaml("deploy/prometheus/alerts.yml").get("groups")
                .forEach(group -> group.get("rules").forEach(item -> expected.add(item.get("alert").asText())));
        assertThat(alerts).isEqualTo(expected).hasSize(7);
    }

    @Test
    void redisAsOneServerSentinelOrCluster() throws IOException {
        Container single = container(render(""));
        assertThat(value(single, "TOKEN_CENTER_REDIS_ADDRESS")).isEqualTo("redis://redis:6379");

        Container sentinel = container(render("""
                redis:
                  mode: sentinel
                  sentinel:
                    masterName: tokens
                    addresses: [redis://s0:26379, redis://s1:26379, redis://s2:26379]
                  secret:
                    name: token-center-redis
                    sentinelPasswordKey: sentinel-password
                """));
        assertThat(value(sentinel, "TOKEN_CENTER_REDIS_SENTINEL_MASTER_NAME")).isEqualTo("tokens");
        assertThat(value(sentinel, "TOKEN_CENTER_REDIS_SENTINEL_ADDRESSES"))
                .isEqualTo("redis://s0:26379,redis://s1:26379,redis://s2:26379");
        assertThat(secretRef(sentinel, "TOKEN_CENTER_REDIS_SENTINEL_PASSWORD")).isEqualTo("token-center-redis/sentinel-password");
        assertThat(sentinel.getEnv()).extracting(EnvVar::getName).doesNotContain("TOKEN_CENTER_REDIS_ADDRESS");

        Container cluster = container(render("""
                redis:
                  mode: cluster
                  cluster:
                    nodes: [redis://r0:6379, redis://r1:6379]
                """));
        assertThat(value(cluster, "TOKEN_CENTER_REDIS_CLUSTER_NODES")).isEqualTo("redis://r0:6379,redis://r1:6379");
        assertThat(cluster.getEnv()).extracting(EnvVar::getName)
                .doesNotContain("TOKEN_CENTER_REDIS_ADDRESS", "TOKEN_CENTER_REDIS_SENTINEL_MASTER_NAME");

        assertThatThrownBy(() -> render("""
                redis:
                  mode: sentinel
                  sentinel:
                    masterName: tokens
                """)).hasMessageContaining("redis.sentinel.addresses is required");
        assertThatThrownBy(() -> render("""
                redis:
                  mode: replicated
                """)).hasMessageContaining("redis.mode must be single, sentinel or cluster");
    }

    private List<HasMetadata> render(String values) throws IOException {
        Path file = Files.createTempFile(temp, "values", ".yaml");
        Files.writeString(file, values);
        String manifests = new Helm(CHART).template().withName("tc").withNamespace("tokens").withValuesFile(file).call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                objects.add(KUBERNETES.unmarshal(document));
            }
        }
        return objects;
    }

    private static Container container(List<HasMetadata> objects) {
        return only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static EnvVar variable(Container container, String name) {
        return container.getEnv().stream().filter(env -> env.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getEnv()));
    }

    private static String value(Container container, String name) {
        return variable(container, name).getValue();
    }

    private static String secretRef(Container container, String name) {
        var ref = variable(container, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }
}
