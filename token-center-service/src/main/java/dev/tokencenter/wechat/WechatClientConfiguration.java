package dev.tokencenter.wechat;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class WechatClientConfiguration {

    @Bean
    UpstreamTls upstreamTls(WechatApiProperties wechatApi, SslBundles bundles) {
        String bundle = wechatApi.sslBundle();
        return StringUtils.hasText(bundle) ? UpstreamTls.trusting(bundle, bundles.getBundle(bundle)) : UpstreamTls.jdkTrustStore();
    }

    @Bean(destroyMethod = "close")
    WechatTokenClient wechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        return new WechatTokenClient(wechatApi, wecomApi, tls);
    }

    @Bean(destroyMethod = "close")
    WechatMiniProgramClient wechatMiniProgramClient(WechatApiProperties wechatApi, UpstreamTls tls) {
        return new WechatMiniProgramClient(wechatApi, tls);
    }

    @Bean(destroyMethod = "close")
    WechatTicketClient wechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        return new WechatTicketClient(wechatApi, wecomApi, tls);
    }

    @Bean
    WechatTokenChecker wechatTokenChecker(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        return new WechatTokenChecker(wechatApi, wecomApi, tls);
    }
}
