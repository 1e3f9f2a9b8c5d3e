package dev.tokencenter.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class RedissonConfiguration {

    @Bean(destroyMethod = "shutdown")
    RedissonClient redissonClient(RedisProperties properties) {
        return Redisson.create(config(properties));
    }

    static Config config(RedisProperties properties) {
        Config config = new Config();
        switch (properties.topology()) {
            case SINGLE -> common(config.useSingleServer()
                    .setAddress(properties.address())
                    .setDatabase(properties.database())
                    .setConnectionPoolSize(properties.connectionPoolSize())
                    .setConnectionMinimumIdleSize(properties.connectionMinimumIdleSize()), properties);
            case SENTINEL -> {
                RedisProperties.Sentinel sentinel = properties.sentinel();
                var servers = config.useSentinelServers()
                        .setMasterName(sentinel.masterName())
                        .setDatabase(properties.database());
                sentinel.addresses().forEach(servers::addSentinelAddress);
                if (StringUtils.hasText(sentinel.username())) {
                    servers.setSentinelUsername(sentinel.username());
                }
                if (StringUtils.hasText(sentinel.password())) {
                    servers.setSentinelPassword(sentinel.password());
                }
                masterOnly(servers, properties);
            }
            case CLUSTER -> {
                var servers = config.useClusterServers();
                properties.cluster().nodes().forEach(servers::addNodeAddress);
                masterOnly(servers, properties);
            }
        }
        return config;
    }

    /** Reads go to masters too: a replica may lag behind the token or fence a refresh has just written. */
    private static void masterOnly(BaseMasterSlaveServersConfig<?> servers, RedisProperties properties) {
        servers.setReadMode(ReadMode.MASTER)
                .setMasterConnectionPoolSize(properties.connectionPoolSize())
                .setMasterConnectionMinimumIdleSize(properties.connectionMinimumIdleSize());
        common(servers, properties);
    }

    private static void common(BaseConfig<?> servers, RedisProperties properties) {
        servers.setTimeout((int) properties.timeout().toMillis())
                .setConnectTimeout((int) properties.connectTimeout().toMillis())
                .setRetryAttempts(properties.retryAttempts())
                .setRetryInterval((int) properties.retryInterval().toMillis());
        if (StringUtils.hasText(properties.username())) {
            servers.setUsername(properties.username());
        }
        if (StringUtils.hasText(properties.password())) {
            servers.setPassword(properties.password());
        }
    }
}
