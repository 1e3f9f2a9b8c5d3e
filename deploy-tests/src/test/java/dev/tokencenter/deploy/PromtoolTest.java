package dev.tokencenter.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * promtool (Debian's prometheus package; .ci/run installs it) checks the alert rules, runs their unit tests
 * (deploy/prometheus/alerts.test.yml) and checks the compose Prometheus configuration. Without promtool the test is
 * skipped on a workstation and fails on CI.
 */
class PromtoolTest {

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = locate();
        if (promtool == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("promtool is not on PATH; .ci/run installs Debian's prometheus package");
        }
        assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus); rule checks skipped");
    }

    @Test
    void alertRulesAreValid() throws Exception {
        Result result = run("check", "rules", "deploy/prometheus/alerts.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void everyAlertFiresFromSyntheticSeriesInItsUnitTests() throws Exception {
        Result result = run("test", "rules", "deploy/prometheus/alerts.test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void composePrometheusConfigurationIsValid() throws Exception {
        Result result = run("check", "config", "deploy/prometheus/prometheus.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(RepositoryFiles.ROOT.toFile())
                .redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish within 60 s: " + command);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Path locate() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
