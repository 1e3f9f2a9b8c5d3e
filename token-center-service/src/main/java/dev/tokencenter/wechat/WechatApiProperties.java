package dev.tokencenter.wechat;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Where the WeChat server API lives (the simulator in dev mode and tests) and how long to wait for it.
 *
 * @param sslBundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose truststore replaces the JDK's for
 *                  calls to WeChat and WeCom; blank for the JDK's trust store (see {@link UpstreamTls})
 */
@Validated
@ConfigurationProperties("token-center.wechat")
public record WechatApiProperties(
        @NotNull @DefaultValue("https://api.weixin.qq.com") URI apiBaseUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration responseTimeout,
        String sslBundle) {
}
