package dev.tokencenter;

import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves the suite runs against a real PostgreSQL (with the Flyway schema) and a real Redis. */
@IntegrationTest
class InfrastructureReachedTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Test
    void postgresIsRealAndMigrated() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        Integer applied = jdbc.queryForObject(
                "select count(*) from flyway_schema_history where success and version = '1'", Integer.class);
        assertThat(applied).isEqualTo(1);
        assertThat(jdbc.queryForList("select table_name from information_schema.tables where table_schema = 'public'",
                String.class)).contains("tenant", "app", "environment", "credential", "api_client", "token_state");
    }

    @Test
    void redisIsReal() {
        String key = "test:" + UUID.randomUUID();
        redisson.getBucket(key, StringCodec.INSTANCE).set("value");
        assertThat(redisson.getBucket(key, StringCodec.INSTANCE).get()).isEqualTo("value");
        String info = redisson.getScript(StringCodec.INSTANCE)
                .eval(org.redisson.api.RScript.Mode.READ_ONLY, "return redis.call('info', 'server')",
                        org.redisson.api.RScript.ReturnType.VALUE);
        assertThat(info).contains("redis_version");
        System.out.println("infrastructure: " + TestInfrastructure.get().kind());
    }
}
