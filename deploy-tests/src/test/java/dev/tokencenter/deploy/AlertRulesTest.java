package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules: every issue-listed condition has a rule, each rule a runbook and a summary, only known series. */
class AlertRulesTest {

    private static final String RUNBOOK_PREFIX = "docs/operations.md#";

    @Test
    void everyConditionHasARule() {
        assertThat(rules()).extracting(rule -> rule.get("alert").asText()).containsExactlyInAnyOrder(
                "TokenCenterTokenExpiring", "TokenCenterCredentialStopped", "TokenCenterCredentialPaused",
                "TokenCenterQuotaHigh", "TokenCenterUpstreamErrors", "TokenCenterNoSuccessfulRefresh",
                "TokenCenterInstanceNotReady");
    }

    @Test
    void everyRuleReadsOnlySeriesTheServiceExports() {
        Set<String> exported = RepositoryFiles.exportedSeries();
        for (JsonNode rule : rules()) {
            String expr = rule.get("expr").asText();
            assertThat(RepositoryFiles.seriesIn(expr)).as(rule.get("alert").asText()).isNotEmpty()
                    .allSatisfy(series -> assertThat(exported).contains(series));
        }
    }

    @Test
    void everyRuleLinksARunbookSectionThatExists() {
        Set<String> anchors = RepositoryFiles.anchors("docs/operations.md");
        for (JsonNode rule : rules()) {
            String alert = rule.get("alert").asText();
            String runbook = rule.at("/annotations/runbook_url").asText();
            assertThat(runbook).as(alert).isEqualTo(RUNBOOK_PREFIX + alert.toLowerCase());
            assertThat(anchors).as("docs/operations.md has a section for " + alert)
                    .contains(runbook.substring(RUNBOOK_PREFIX.length()));
            assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
        }
    }

    @Test
    void credentialAlertsNameTheCredentialInTheirSummary() {
        for (JsonNode rule : rules()) {
            String expr = rule.get("expr").asText();
            if (expr.contains("by (tenant, app, env")) {
                assertThat(rule.at("/annotations/summary").asText()).as(rule.get("alert").asText())
                        .contains("{{ $labels.tenant }}/{{ $labels.app }}/{{ $labels.env }}");
            } else {
                assertThat(rule.at("/annotations/summary").asText()).as(rule.get("alert").asText()).isNotBlank();
            }
        }
    }

    @Test
    void composePrometheusLoadsTheRulesAndScrapesTheManagementPort() {
        JsonNode config = RepositoryFiles.yaml("deploy/prometheus/prometheus.yml");
        assertThat(config.get("rule_files")).extracting(JsonNode::asText).containsExactly("alerts.yml");
        JsonNode job = config.at("/scrape_configs/0");
        assertThat(job.get("job_name").asText()).isEqualTo("token-center");
        assertThat(job.get("metrics_path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(job.at("/static_configs/0/targets")).extracting(JsonNode::asText)
                .containsExactly("token-center-1:8081", "token-center-2:8081");
    }

    private static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        RepositoryFiles.yaml("deploy/prometheus/alerts.yml").get("groups")
                .forEach(group -> group.get("rules").forEach(rules::add));
        return rules;
    }
}
