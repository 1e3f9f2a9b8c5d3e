package dev.tokencenter.jssdk;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The JS-SDK signature algorithm on WeChat's documented vector, and the URL as signed. */
class JssdkSignatureTest {

    private static final String TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";

    @Test
    void signsWechatsDocumentedVector() {
        assertThat(JssdkSignature.sign(TICKET, "Wm3WZYTPz0wzccnW", 1414587457L, "http://mp.weixin.qq.com?params=value"))
                .isEqualTo("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    }

    @Test
    void signsTheUrlUpToItsFragmentAndNeverDecodesIt() {
        String plain = JssdkSignature.sign(TICKET, "Wm3WZYTPz0wzccnW", 1414587457L, "http://mp.weixin.qq.com?params=value");
        assertThat(JssdkSignature.sign(TICKET, "Wm3WZYTPz0wzccnW", 1414587457L,
                "http://mp.weixin.qq.com?params=value#/page?x=1#more")).isEqualTo(plain);
        assertThat(JssdkSignature.signedUrl("https://a.example/p?q=%E4%B8%AD+x#f")).isEqualTo("https://a.example/p?q=%E4%B8%AD+x");
        assertThat(JssdkSignature.sign(TICKET, "n", 1, "https://a.example/p?q=%20"))
                .isNotEqualTo(JssdkSignature.sign(TICKET, "n", 1, "https://a.example/p?q= "));
    }

    @Test
    void noncesAreSixteenAlphanumericCharacters() {
        SecureRandom random = new SecureRandom();
        String first = JssdkSignature.nonce(random);
        assertThat(first).matches("[A-Za-z0-9]{16}");
        assertThat(JssdkSignature.nonce(random)).isNotEqualTo(first);
    }

    @Test
    void acceptsOnlyAbsoluteHttpUrlsOfBoundedLength() {
        assertThat(PageUrl.problem("https://shop.example.com/pay?order=42#top")).isNull();
        assertThat(PageUrl.problem("http://mp.weixin.qq.com?params=value")).isNull();
        assertThat(PageUrl.problem("HTTPS://shop.example.com/")).isNull();
        assertThat(PageUrl.problem(null)).isEqualTo("is required");
        assertThat(PageUrl.problem("")).isEqualTo("is required");
        assertThat(PageUrl.problem("/relative/path")).isNotNull();
        assertThat(PageUrl.problem("ftp://files.example.com/")).isNotNull();
        assertThat(PageUrl.problem("javascript:alert(1)")).isNotNull();
        assertThat(PageUrl.problem("https://shop.example.com/a b")).isNotNull();
        assertThat(PageUrl.problem("https:///no-host")).isNotNull();
        assertThat(PageUrl.problem("https://shop.example.com/?" + "a".repeat(PageUrl.MAX_LENGTH))).isNotNull();
    }
}
