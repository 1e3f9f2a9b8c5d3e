package dev.tokencenter.wechat;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WechatClientConfiguration {

    @Bean(destroyMethod = "close")
    WechatTokenClient wechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi) {
        return new WechatTokenClient(wechatApi, wecomApi);
    }

    @Bean
    WechatTokenChecker wechatTokenChecker(WechatApiProperties wechatApi, WecomApiProperties wecomApi) {
        return new WechatTokenChecker(wechatApi, wecomApi);
    }
}
