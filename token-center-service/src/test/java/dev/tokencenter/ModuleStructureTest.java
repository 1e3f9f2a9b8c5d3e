package dev.tokencenter;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modules (the packages under {@code dev.tokencenter}) depend on each other without cycles and only through their
 * API, and the module diagram and API table in {@code docs/} are the ones the code gives. A stale copy in
 * {@code docs/} is rewritten and the test fails, so that the new one gets committed.
 */
class ModuleStructureTest {

    /** The service's own classes: not its tests, nor the test infrastructure and simulator jars that share its root. */
    static final ApplicationModules MODULES = ApplicationModules.of(TokenCenterApplication.class,
            location -> !location.isArchive() && !location.contains("/test-classes/"));
    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void modulesDependOnEachOtherWithoutCyclesAndOnlyThroughTheirApi() {
        MODULES.verify();
    }

    @Test
    void theDocumentedModulesAreTheOnesInTheCode() throws IOException {
        Path generated = Path.of("target", "modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml(Documenter.DiagramOptions.defaults()
                        .withStyle(Documenter.DiagramOptions.DiagramStyle.C4));
        List<String> stale = new ArrayList<>();

        Path plantUml = DOCS.resolve("modules").resolve("components.puml");
        String diagram = ModuleDocumentation.stablePlantUml(Files.readString(generated.resolve("components.puml")));
        if (!Files.exists(plantUml) || !Files.readString(plantUml).equals(diagram)) {
            Files.createDirectories(plantUml.getParent());
            Files.writeString(plantUml, diagram);
            stale.add(plantUml.toString());
        }

        Path architecture = DOCS.resolve("architecture.md");
        String text = Files.readString(architecture);
        int begin = text.indexOf(ModuleDocumentation.BEGIN);
        int end = text.indexOf(ModuleDocumentation.END);
        assertThat(begin).as("docs/architecture.md has the generated module section").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String updated = text.substring(0, begin) + new ModuleDocumentation(MODULES).section()
                + text.substring(end + ModuleDocumentation.END.length());
        if (!updated.equals(text)) {
            Files.writeString(architecture, updated);
            stale.add(architecture.toString());
        }

        assertThat(stale).as("module documentation was out of date and has been rewritten from the code:"
                + " review and commit it").isEmpty();
    }
}
