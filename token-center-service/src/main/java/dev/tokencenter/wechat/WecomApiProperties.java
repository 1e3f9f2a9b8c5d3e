package dev.tokencenter.wechat;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;

/** Where the WeCom server API lives (token-center.wecom.api-base-url). */
@Validated
@ConfigurationProperties("token-center.wecom")
public record WecomApiProperties(@NotNull @DefaultValue("https://qyapi.weixin.qq.com") URI apiBaseUrl) {
}
