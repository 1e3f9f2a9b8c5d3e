package dev.tokencenter.compat;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WxJava SDK, configured only through its own settings: token fetches go to the center's compatible
 * stable_token endpoint (its access-token URL, the client key as "secret"), business calls to the WeChat simulator
 * (its API host). After WeChat rejects the token, WxJava's own 40001 handling fetches again from the center and the
 * call succeeds with a new, valid token.
 */
@IntegrationTest
class WxJavaClientTest {

    @Autowired
    ApplicationContext context;

    @Test
    void wxJavaUsesTheCentersTokenAndRecoversFromA40001ThroughTheCenter() throws Exception {
        WechatSimulator simulator = TestInfrastructure.get().simulator();
        TokenApiFixture fixture = new TokenApiFixture(context);
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String center = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");

        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(shop.appid());
        config.setSecret(client.key());
        config.useStableAccessToken(true);
        config.setAccessTokenUrl(center + "/cgi-bin/stable_token");
        config.setApiHostUrl(simulator.baseUrl());
        WxMaService wx = new WxMaServiceImpl();
        wx.setWxMaConfig(config);

        String token = wx.getAccessToken();
        assertThat(token).isEqualTo(centerToken(shop, client));
        assertThat(simulator.tokenValidity(token).valid()).isTrue();

        simulator.invalidateToken(token);
        long phoneCallsBefore = simulator.callCount(shop.appid(), "/wxa/business/getuserphonenumber");
        String code = simulator.mintPhoneCode(shop.appid(), "+86 13800138000", "13800138000", "86");
        WxMaPhoneNumberInfo phone = wx.getUserService().getPhoneNoInfo(code);

        assertThat(phone.getPurePhoneNumber()).isEqualTo("13800138000");
        // the first call was rejected with 40001, the retry with the center's new token succeeded
        assertThat(simulator.callCount(shop.appid(), "/wxa/business/getuserphonenumber") - phoneCallsBefore).isEqualTo(2);
        String renewed = wx.getAccessToken();
        assertThat(renewed).isNotEqualTo(token);
        assertThat(simulator.tokenValidity(renewed).valid()).isTrue();
        assertThat(renewed).isEqualTo(centerToken(shop, client));
    }

    private String centerToken(Credential credential, CreatedClient client) {
        byte[] body = TokenApiFixture.http(context).get().uri(credential.path())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key()).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body).get("access_token").asString();
    }
}
