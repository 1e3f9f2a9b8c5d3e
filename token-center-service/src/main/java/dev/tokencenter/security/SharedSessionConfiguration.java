package dev.tokencenter.security;

import dev.tokencenter.redis.RedisProperties;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionIdResolver;
import org.springframework.web.server.session.WebSessionManager;

import java.time.Clock;
import java.time.Duration;

/**
 * Admin sessions shared by every instance through Redis ({@link RedisWebSessionStore}) instead of one instance's
 * memory. The session cookie keeps Spring Boot's settings ({@code server.reactive.session.*}: name SESSION,
 * HttpOnly, SameSite=Lax); sessions expire after {@code server.reactive.session.timeout} without a request.
 */
@Configuration(proxyBeanMethods = false)
class SharedSessionConfiguration {

    @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    WebSessionManager webSessionManager(RedissonClient redisson, RedisProperties redis,
                                        @Value("${server.reactive.session.timeout:30m}") Duration timeout,
                                        ObjectProvider<WebSessionIdResolver> idResolver) {
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionStore(new RedisWebSessionStore(redisson, timeout, redis.commandBound(), Clock.systemUTC()));
        idResolver.ifAvailable(manager::setSessionIdResolver);
        return manager;
    }
}
