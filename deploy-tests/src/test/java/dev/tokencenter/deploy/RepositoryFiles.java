package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The repository's files as the deployment tests read them. */
final class RepositoryFiles {

    static final Path ROOT = findRoot();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERIES = Pattern.compile("\\btokencenter_[a-z_]+\\b");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$", Pattern.MULTILINE);

    private RepositoryFiles() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A YAML file as a tree; anchors, aliases and merge keys (docker-compose.yml uses them) resolved. */
    static JsonNode yaml(String relative) {
        return JSON.valueToTree(new Yaml().load(read(relative)));
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The series the service exports (deploy/metrics.txt, one name a line). */
    static Set<String> exportedSeries() {
        return read("deploy/metrics.txt").lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The token center series a PromQL expression reads. */
    static Set<String> seriesIn(String promql) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = SERIES.matcher(promql);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** The anchors GitHub gives the headings of a Markdown file. */
    static Set<String> anchors(String markdownFile) {
        Set<String> anchors = new TreeSet<>();
        Matcher matcher = HEADING.matcher(read(markdownFile).replaceAll("(?s)```.*?```", ""));
        while (matcher.find()) {
            anchors.add(anchor(matcher.group(1)));
        }
        return anchors;
    }

    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/metrics.txt"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/metrics.txt not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
