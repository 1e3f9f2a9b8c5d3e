package dev.tokencenter.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text-format scrape, parsed into samples. */
record Scrape(String text, List<Sample> samples) {

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {

        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line.strip());
            if (!matcher.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(3) != null) {
                Matcher label = LABEL.matcher(matcher.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
        }
        return new Scrape(text, samples);
    }

    List<Sample> named(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The one sample of {@code name} whose labels include {@code labels}; empty when none. */
    Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> found = named(name).stream().filter(sample -> sample.has(labels)).toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + labels + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** The sum of every sample of {@code name} whose labels include {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        return named(name).stream().filter(sample -> sample.has(labels)).mapToDouble(Sample::value).sum();
    }

    double valueOr0(String name, Map<String, String> labels) {
        return value(name, labels).orElse(0.0);
    }
}
