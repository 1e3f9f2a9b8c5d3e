package dev.tokencenter.deploy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's docs: a configuration reference true to what the service reads, a threat model, links. */
class OperationsDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z0-9.\\[\\]<>-]+)` \\| (`[A-Z0-9_]+`|–) \\|", Pattern.MULTILINE);

    /** property → environment variable column of the configuration reference in docs/operations.md. */
    static Map<String, String> reference() {
        String docs = RepositoryFiles.read("docs/operations.md");
        int start = docs.indexOf("\n## Configuration reference");
        assertThat(start).as("docs/operations.md has a configuration reference").isPositive();
        int end = docs.indexOf("\n## ", start + 1);
        Matcher rows = ROW.matcher(end < 0 ? docs.substring(start) : docs.substring(start, end));
        Map<String, String> reference = new LinkedHashMap<>();
        while (rows.find()) {
            reference.put(rows.group(1), rows.group(2).replace("`", ""));
        }
        return reference;
    }

    static Set<String> documentedProperties() {
        return reference().keySet();
    }

    @Test
    void referenceDocumentsEverySettingOfTheService() {
        Set<String> expected = new TreeSet<>(ServiceSettings.metadataProperties());
        ServiceSettings.applicationYamlKeys().stream().filter(key -> key.startsWith("token-center.")).forEach(expected::add);
        assertThat(expected).hasSizeGreaterThan(80);
        assertThat(documentedProperties()).containsAll(expected);
    }

    @Test
    void referenceNamesOnlySettingsThatExist() {
        Set<String> known = new TreeSet<>(ServiceSettings.metadataProperties());
        known.addAll(ServiceSettings.applicationYamlKeys());
        for (String property : documentedProperties()) {
            if (!known.contains(property)) {
                assertThat(ServiceSettings.BOOT_PREFIXES).as(property + " is neither the service's nor Spring Boot's")
                        .anyMatch(property::startsWith);
            }
        }
    }

    @Test
    void environmentVariablesOfTheReferenceAreTheOnesTheServiceReads() {
        Set<String> placeholders = ServiceSettings.placeholderVariables();
        reference().forEach((property, variable) -> {
            if (!variable.equals("–")) {
                Set<String> accepted = placeholdersFor(property);
                accepted.add(ServiceSettings.environmentVariable(property));
                assertThat(variable).as(property).isIn(accepted);
            }
        });
        assertThat(reference().values()).as("every placeholder of application.yml is documented").containsAll(placeholders);
    }

    @Test
    void securityDocsHaveAThreatModelAndTheReadmeLinksBoth() {
        Set<String> anchors = RepositoryFiles.anchors("docs/security.md");
        assertThat(anchors).contains("threat-model", "what-is-encrypted-with-what", "who-can-reach-what",
                "what-is-logged", "an-attacker-with-the-database", "an-attacker-with-redis",
                "an-attacker-with-one-client-key");
        String readme = RepositoryFiles.read("README.md");
        assertThat(readme).contains("(docs/operations.md)", "(docs/security.md#threat-model)");
        assertThat(RepositoryFiles.anchors("docs/operations.md")).contains("configuration-reference",
                "scaling-out", "master-key-rotation", "backup-and-restore", "upgrading", "runbooks");
    }

    /** The variables application.yml reads through a placeholder on a line of the property's last name. */
    private static Set<String> placeholdersFor(String property) {
        String yaml = RepositoryFiles.read("token-center-service/src/main/resources/application.yml");
        String leaf = property.substring(property.lastIndexOf('.') + 1);
        Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(leaf) + ":.*\\$\\{([A-Z0-9_]+)").matcher(yaml);
        Set<String> found = new TreeSet<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
