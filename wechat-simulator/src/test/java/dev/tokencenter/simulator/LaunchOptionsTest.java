package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void defaultsArePort9090OnLoopbackWithWechatSettings() {
        LaunchOptions options = LaunchOptions.parse(new String[0], Map.of());
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.settings()).isEqualTo(SimulatorSettings.defaults());
        assertThat(options.apps()).isEmpty();
    }

    @Test
    void flagsWinOverEnvironment() {
        LaunchOptions options = LaunchOptions.parse(
                new String[] {"--port=0", "--token-lifetime=20s", "--classic-grace=3", "--app=wx1:s1",
                        "--app=ww0123456789abcdef:cs:WECOM", "--force-refresh-min-interval=PT1S"},
                Map.of("SIMULATOR_PORT", "7000", "SIMULATOR_HOST", "0.0.0.0", "SIMULATOR_STABLE_WINDOW", "5s",
                        "SIMULATOR_CLASSIC_DAILY_QUOTA", "10_000", "SIMULATOR_APPS", "wx2:s2"));
        assertThat(options.port()).isZero();
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.settings().tokenLifetime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.settings().classicGracePeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.settings().stableRotationWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.settings().classicDailyQuota()).isEqualTo(10_000);
        assertThat(options.settings().forceRefreshMinInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.apps()).containsExactly(
                new LaunchOptions.AppSpec("wx2", "s2", Platform.WECHAT),
                new LaunchOptions.AppSpec("wx1", "s1", Platform.WECHAT),
                new LaunchOptions.AppSpec("ww0123456789abcdef", "cs", Platform.WECOM));
    }

    @Test
    void miniProgramAndWecomTicketLimits() {
        SimulatorSettings settings = LaunchOptions.parse(
                new String[] {"--login-user-minute-limit=5", "--phone-country-code-as-number=true",
                        "--wecom-app-ticket-hourly-limit=7"},
                Map.of("SIMULATOR_PHONE_NUMBER_MINUTE_QUOTA", "3", "SIMULATOR_WECOM_CORP_TICKET_HOURLY_LIMIT", "9"))
                .settings();
        assertThat(settings.loginUserMinuteLimit()).isEqualTo(5);
        assertThat(settings.phoneCountryCodeAsNumber()).isTrue();
        assertThat(settings.phoneNumberMinuteQuota()).isEqualTo(3);
        assertThat(settings.wecomCorpTicketHourlyLimit()).isEqualTo(9);
        assertThat(settings.wecomAppTicketHourlyLimit()).isEqualTo(7);
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--phone-country-code-as-number=maybe"}, Map.of()))
                .hasMessageContaining("phone-country-code-as-number");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--login-user-minute-limit=0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAcceptSeveralForms() {
        assertThat(LaunchOptions.duration("x", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(LaunchOptions.duration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LaunchOptions.duration("x", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(LaunchOptions.duration("x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(LaunchOptions.duration("x", "1d")).isEqualTo(Duration.ofDays(1));
        assertThat(LaunchOptions.duration("x", "PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--nope=1"}, Map.of()))
                .hasMessageContaining("--nope");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--port=abc"}, Map.of()))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--token-lifetime=5x"}, Map.of()))
                .hasMessageContaining("token-lifetime");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--app=wx1"}, Map.of()))
                .hasMessageContaining("appid:secret");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"positional"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void helpIsRecognised() {
        assertThat(LaunchOptions.parse(new String[] {"--help"}, Map.of()).help()).isTrue();
    }
}
