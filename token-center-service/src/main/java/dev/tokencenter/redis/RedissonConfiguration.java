package dev.tokencenter.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class RedissonConfiguration {

    @Bean(destroyMethod = "shutdown")
    RedissonClient redissonClient(RedisProperties properties) {
        Config config = new Config();
        var server = config.useSingleServer()
                .setAddress(properties.address())
                .setDatabase(properties.database())
                .setConnectionPoolSize(properties.connectionPoolSize())
                .setConnectionMinimumIdleSize(properties.connectionMinimumIdleSize())
                .setTimeout((int) properties.timeout().toMillis())
                .setConnectTimeout((int) properties.connectTimeout().toMillis())
                .setRetryAttempts(properties.retryAttempts())
                .setRetryInterval((int) properties.retryInterval().toMillis());
        if (StringUtils.hasText(properties.username())) {
            server.setUsername(properties.username());
        }
        if (StringUtils.hasText(properties.password())) {
            server.setPassword(properties.password());
        }
        return Redisson.create(config);
    }
}
