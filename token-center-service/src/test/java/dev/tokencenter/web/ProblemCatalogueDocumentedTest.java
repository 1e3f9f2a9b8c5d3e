package dev.tokencenter.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/errors.md lists exactly the catalogue: every type with its status and title, and nothing else. */
class ProblemCatalogueDocumentedTest {

    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `([a-z-]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    void theCatalogueTableMatchesTheCode() throws IOException {
        Path docs = Path.of("..", "docs", "errors.md");
        Matcher rows = ROW.matcher(Files.readString(docs));
        Set<String> documented = new LinkedHashSet<>();
        while (rows.find()) {
            documented.add(rows.group(1) + " " + rows.group(2) + " " + rows.group(3).strip());
        }
        Set<String> catalogue = Arrays.stream(ProblemType.values())
                .map(type -> type.status().value() + " " + type.slug() + " " + type.title())
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(documented).containsExactlyElementsOf(catalogue);
    }
}
