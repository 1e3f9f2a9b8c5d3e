package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The provisioned Grafana dashboard: stable uids, a datasource variable, and queries on exported series only. */
class GrafanaDashboardTest {

    private static final String DASHBOARD = "deploy/grafana/dashboards/token-center.json";

    @Test
    void dashboardHasAStableUidAndADatasourceVariable() {
        JsonNode dashboard = RepositoryFiles.json(DASHBOARD);
        assertThat(dashboard.get("uid").asText()).isEqualTo("token-center-overview");
        JsonNode datasource = variable(dashboard, "datasource");
        assertThat(datasource.get("type").asText()).isEqualTo("datasource");
        assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
        assertThat(datasource.at("/current/value").asText())
                .isEqualTo(RepositoryFiles.yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
                        .at("/datasources/0/uid").asText());
        for (String name : List.of("tenant", "app", "env", "instance")) {
            JsonNode variable = variable(dashboard, name);
            assertThat(variable.at("/datasource/uid").asText()).as(name).isEqualTo("${datasource}");
            assertThat(RepositoryFiles.seriesIn(variable.get("definition").asText())).as(name)
                    .isNotEmpty().isSubsetOf(RepositoryFiles.exportedSeries());
        }
    }

    @Test
    void everyPanelQueriesTheDatasourceVariableAndOnlyExportedSeries() {
        Set<String> exported = RepositoryFiles.exportedSeries();
        Set<String> used = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(RepositoryFiles.json(DASHBOARD));
        assertThat(panels).hasSizeGreaterThan(15);
        for (JsonNode panel : panels) {
            String title = panel.get("title").asText();
            assertThat(ids.add(panel.get("id").asInt())).as("unique id of " + title).isTrue();
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            Set<String> panelSeries = new HashSet<>();
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                Set<String> series = RepositoryFiles.seriesIn(expr);
                if (series.isEmpty()) {
                    assertThat(expr).as(title + ": a query without a token center series reads Prometheus' own up")
                            .containsPattern("\\bup\\{job=\"token-center\"");
                }
                assertThat(exported).as(title).containsAll(series);
                panelSeries.addAll(series);
            }
            assertThat(panelSeries).as(title).isNotEmpty();
            used.addAll(panelSeries);
        }
        // fleet, per-credential time left and history, upstream errors, quota, API latency, instances
        assertThat(used).contains("tokencenter_credentials", "tokencenter_token_seconds_left",
                "tokencenter_refresh_total", "tokencenter_upstream_calls_total", "tokencenter_quota_used",
                "tokencenter_quota_limit", "tokencenter_api_requests_seconds_bucket", "tokencenter_ready",
                "tokencenter_credential_state");
    }

    @Test
    void panelsSitOnTheGridWithoutOverlapping() {
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels(RepositoryFiles.json(DASHBOARD))) {
            JsonNode grid = panel.get("gridPos");
            int[] box = {grid.get("x").asInt(), grid.get("y").asInt(), grid.get("w").asInt(), grid.get("h").asInt()};
            assertThat(box[0] + box[2]).as(panel.get("title").asText()).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertThat(overlap).as(panel.get("title").asText()).isFalse();
            }
            boxes.add(box);
        }
    }

    @Test
    void provisioningLoadsTheDashboardsDirectory() throws IOException {
        JsonNode provider = RepositoryFiles.yaml("deploy/grafana/provisioning/dashboards/token-center.yml")
                .at("/providers/0");
        assertThat(provider.get("type").asText()).isEqualTo("file");
        assertThat(provider.at("/options/path").asText()).isEqualTo("/var/lib/grafana/dashboards");
        try (Stream<Path> files = Files.list(RepositoryFiles.path("deploy/grafana/dashboards"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("token-center.json");
        }
        JsonNode datasource = RepositoryFiles.yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
                .at("/datasources/0");
        assertThat(datasource.get("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.get("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no dashboard variable " + name);
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            panels.add(panel);
            if (panel.has("panels")) {
                panel.get("panels").forEach(panels::add);
            }
        });
        return panels;
    }
}
