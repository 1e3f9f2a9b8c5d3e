package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the service reads: the properties of its configuration metadata (written by the configuration processor into
 * the service jar), the keys of its application.yml and the environment variables that application.yml names.
 */
final class ServiceSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    /** Spring Boot's own properties that the operator's docs may list beside the service's. */
    static final Set<String> BOOT_PREFIXES = Set.of("spring.", "server.", "management.", "logging.");

    private ServiceSettings() {
    }

    /** Every property the service's own @ConfigurationProperties declare. */
    static Set<String> metadataProperties() {
        try (InputStream in = ServiceSettings.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            if (in == null) {
                throw new IllegalStateException("the service jar has no META-INF/spring-configuration-metadata.json");
            }
            Set<String> names = new TreeSet<>();
            new ObjectMapper().readTree(in).get("properties").forEach(property -> names.add(property.get("name").asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The leaf keys of application.yml, dot-separated. */
    static Set<String> applicationYamlKeys() {
        Set<String> keys = new TreeSet<>();
        flatten("", RepositoryFiles.yaml("token-center-service/src/main/resources/application.yml"), keys);
        return keys;
    }

    /** Environment variables application.yml reads through placeholders. */
    static Set<String> placeholderVariables() {
        Set<String> variables = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(RepositoryFiles.read("token-center-service/src/main/resources/application.yml"));
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        return variables;
    }

    /** The environment variable Spring Boot's relaxed binding maps to a property. */
    static String environmentVariable(String property) {
        return property.replace("[", "").replace("]", "").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Variables the service reads: placeholders, and the relaxed names of its own and of documented properties. */
    static Set<String> knownVariables(Set<String> documentedProperties) {
        Set<String> known = new TreeSet<>(placeholderVariables());
        metadataProperties().forEach(property -> known.add(environmentVariable(property)));
        applicationYamlKeys().forEach(property -> known.add(environmentVariable(property)));
        documentedProperties.stream().filter(property -> BOOT_PREFIXES.stream().anyMatch(property::startsWith))
                .forEach(property -> known.add(environmentVariable(property)));
        return known;
    }

    private static void flatten(String prefix, JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
            }
        } else {
            keys.add(prefix);
        }
    }
}
