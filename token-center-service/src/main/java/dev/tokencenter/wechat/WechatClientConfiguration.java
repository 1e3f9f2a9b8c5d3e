package dev.tokencenter.wechat;

import io.micrometer.core.instrument.MeterRegistry;
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

    @Bean
    UpstreamCallMeter upstreamCallMeter(MeterRegistry registry) {
        return new UpstreamCallMeter(registry);
    }

    @Bean(destroyMethod = "close")
    WechatTokenClient wechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                                        UpstreamCallMeter meter) {
        return new WechatTokenClient(wechatApi, wecomApi, tls, meter);
    }

    @Bean(destroyMethod = "close")
    WechatMiniProgramClient wechatMiniProgramClient(WechatApiProperties wechatApi, UpstreamTls tls, UpstreamCallMeter meter) {
        return new WechatMiniProgramClient(wechatApi, tls, meter);
    }

    @Bean(destroyMethod = "close")
    WechatTicketClient wechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                                          UpstreamCallMeter meter) {
        return new WechatTicketClient(wechatApi, wecomApi, tls, meter);
    }

    @Bean
    WechatTokenChecker wechatTokenChecker(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                                          UpstreamCallMeter meter) {
        return new WechatTokenChecker(wechatApi, wecomApi, tls, meter);
    }
}
