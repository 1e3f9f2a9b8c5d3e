package dev.tokencenter.registry;

import dev.tokencenter.web.FieldViolation;
import dev.tokencenter.web.InvalidInputException;
import dev.tokencenter.web.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token mode an environment may be set to, and the mode its credential gets. */
class TokenModeRulesTest {

    @Test
    void aWechatEnvironmentTakesStableOrClassicInAnyCase() {
        assertThat(accepted(Platform.WECHAT_MINIPROGRAM, "classic")).isEqualTo(TokenMode.CLASSIC);
        assertThat(accepted(Platform.WECHAT_OFFICIAL_ACCOUNT, "STABLE")).isEqualTo(TokenMode.STABLE);
        assertThat(accepted(Platform.WECHAT_MINIPROGRAM, null)).as("absent: unchanged").isEqualTo(TokenMode.CLASSIC);
    }

    @Test
    void wecomIsNoModeAnEnvironmentCanBeSetTo() {
        assertRejected(Platform.WECHAT_MINIPROGRAM, "WECOM", "must be STABLE or CLASSIC");
        assertRejected(Platform.WECHAT_MINIPROGRAM, "FAST", "must be STABLE or CLASSIC");
        assertRejected(Platform.WECOM, "STABLE", "applies only to WeChat platforms, not to WECOM");
    }

    @Test
    void theCredentialsModeFollowsThePlatformFirst() {
        assertThat(TokenMode.of("WECOM", "STABLE")).isEqualTo(TokenMode.WECOM);
        assertThat(TokenMode.of("WECHAT_MINIPROGRAM", "CLASSIC")).isEqualTo(TokenMode.CLASSIC);
        assertThat(TokenMode.of("WECHAT_OFFICIAL_ACCOUNT", "STABLE")).isEqualTo(TokenMode.STABLE);
        assertThat(TokenMode.of("WECHAT_MINIPROGRAM", null)).isEqualTo(TokenMode.STABLE);
        assertThat(TokenMode.WECOM.endpoint().path()).isEqualTo("/cgi-bin/gettoken");
        assertThat(TokenMode.STABLE.endpoint().path()).isEqualTo("/cgi-bin/stable_token");
        assertThat(TokenMode.CLASSIC.endpoint().path()).isEqualTo("/cgi-bin/token");
    }

    private static TokenMode accepted(Platform platform, String value) {
        Validator validator = new Validator();
        TokenMode mode = CredentialRules.tokenMode(validator, platform, value, TokenMode.CLASSIC);
        validator.throwIfInvalid();
        return mode;
    }

    private static void assertRejected(Platform platform, String value, String message) {
        Validator validator = new Validator();
        TokenMode mode = CredentialRules.tokenMode(validator, platform, value, TokenMode.STABLE);
        assertThat(mode).as("unchanged").isEqualTo(TokenMode.STABLE);
        assertThatThrownBy(validator::throwIfInvalid).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.violations()).containsExactly(new FieldViolation("token_mode", message)));
    }
}
