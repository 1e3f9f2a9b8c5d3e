package dev.tokencenter.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redisson configuration built from token-center.redis.* as an operator sets it (environment-style strings,
 * comma-separated lists), for each topology; read back through Redisson's own YAML form of the configuration.
 */
class RedissonConfigurationTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void oneServer() throws Exception {
        RedisProperties properties = bind(Map.of("address", "redis://redis:6379", "password", "pw", "database", "2"));
        assertThat(properties.topology()).isEqualTo(RedisProperties.Topology.SINGLE);
        assertThat(VALIDATOR.validate(properties)).isEmpty();

        JsonNode single = yaml(RedissonConfiguration.config(properties)).get("singleServerConfig");
        assertThat(single.get("address").asText()).isEqualTo("redis://redis:6379");
        assertThat(single.get("database").asInt()).isEqualTo(2);
        assertThat(single.get("password").asText()).isEqualTo("pw");
        assertThat(single.get("timeout").asInt()).isEqualTo(1000);
    }

    @Test
    void sentinelMasterWithItsSentinelsReadsFromTheMasterOnly() throws Exception {
        RedisProperties properties = bind(Map.of(
                "sentinel.master-name", "tokens",
                "sentinel.addresses", "redis://s1:26379, redis://s2:26379,redis://s3:26379",
                "sentinel.password", "sentinel-pw",
                "password", "master-pw",
                "database", "1"));
        assertThat(properties.topology()).isEqualTo(RedisProperties.Topology.SENTINEL);
        assertThat(VALIDATOR.validate(properties)).isEmpty();

        JsonNode sentinel = yaml(RedissonConfiguration.config(properties)).get("sentinelServersConfig");
        assertThat(sentinel.get("masterName").asText()).isEqualTo("tokens");
        assertThat(sentinel.get("sentinelAddresses")).extracting(JsonNode::asText)
                .containsExactly("redis://s1:26379", "redis://s2:26379", "redis://s3:26379");
        assertThat(sentinel.get("sentinelPassword").asText()).isEqualTo("sentinel-pw");
        assertThat(sentinel.get("password").asText()).isEqualTo("master-pw");
        assertThat(sentinel.get("database").asInt()).isEqualTo(1);
        assertThat(sentinel.get("readMode").asText()).isEqualTo("MASTER");
        assertThat(sentinel.get("masterConnectionPoolSize").asInt()).isEqualTo(32);
    }

    @Test
    void clusterNodesReadFromMastersOnly() throws Exception {
        RedisProperties properties = bind(Map.of("cluster.nodes", "redis://r0:6379,redis://r1:6379"));
        assertThat(properties.topology()).isEqualTo(RedisProperties.Topology.CLUSTER);
        assertThat(VALIDATOR.validate(properties)).isEmpty();

        JsonNode cluster = yaml(RedissonConfiguration.config(properties)).get("clusterServersConfig");
        assertThat(cluster.get("nodeAddresses")).extracting(JsonNode::asText)
                .containsExactly("redis://r0:6379", "redis://r1:6379");
        assertThat(cluster.get("readMode").asText()).isEqualTo("MASTER");
    }

    @Test
    void exactlyOneTopologyIsAccepted() {
        assertThat(VALIDATOR.validate(bind(Map.of()))).singleElement()
                .satisfies(violation -> assertThat(violation.getMessage()).contains("set exactly one of"));
        assertThat(VALIDATOR.validate(bind(Map.of("address", "redis://a:6379", "cluster.nodes", "redis://b:6379"))))
                .hasSize(1);
        assertThat(VALIDATOR.validate(bind(Map.of("sentinel.master-name", "tokens")))).hasSize(1);
        assertThat(VALIDATOR.validate(bind(Map.of("address", "", "sentinel.addresses", "", "cluster.nodes", ""))))
                .hasSize(1);
    }

    private static RedisProperties bind(Map<String, String> settings) {
        Map<String, String> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("token-center.redis." + key, value));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("token-center.redis", RedisProperties.class);
    }

    private static JsonNode yaml(Config config) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(config.toYAML());
    }
}
