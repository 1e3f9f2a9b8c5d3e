package dev.tokencenter.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Command-line / environment options of the standalone simulator. Every flag {@code --some-name=value} can
 * also be given as the environment variable {@code SIMULATOR_SOME_NAME}; flags win.
 */
record LaunchOptions(String host, int port, SimulatorSettings settings, List<AppSpec> apps, boolean help) {

    /** An app to register at start-up: {@code appid:secret[:WECHAT|WECOM]}. */
    record AppSpec(String appid, String secret, Platform platform) {

        static AppSpec parse(String text) {
            String[] parts = text.trim().split(":");
            if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("an app is appid:secret[:WECHAT|WECOM], got " + text);
            }
            Platform platform = parts.length == 3 ? Platform.valueOf(parts[2].trim().toUpperCase(Locale.ROOT))
                    : Platform.WECHAT;
            return new AppSpec(parts[0].trim(), parts[1].trim(), platform);
        }
    }

    static final String USAGE = """
            Usage: java -jar wechat-simulator-exec.jar [--option=value ...]
              --port=9090                        listening port, 0 = random      (env SIMULATOR_PORT, default 9090)
              --host=127.0.0.1                   bind address, 0.0.0.0 in containers (env SIMULATOR_HOST)
              --app=appid:secret[:WECHAT|WECOM]  register an app at start; repeat, or comma-separate in SIMULATOR_APPS
              --token-lifetime=7200s             access token lifetime
              --classic-grace=300s               old classic token stays valid this long after a new fetch
              --stable-window=300s               stable token rotates when less than this is left
              --classic-daily-quota=2000         /cgi-bin/token calls per appid per quota day
              --stable-daily-quota=500000        /cgi-bin/stable_token calls per appid per quota day
              --stable-minute-quota=10000        /cgi-bin/stable_token calls per appid per minute
              --force-refresh-daily-limit=20     force_refresh refreshes per appid per quota day
              --force-refresh-min-interval=30s   force calls closer than this do not refresh again
              --code-lifetime=5m                 login / phone code lifetime
              --ticket-lifetime=7200s            JS-SDK ticket lifetime
              --clear-quota-monthly-limit=10     clear_quota uses per appid per month
              --hang-duration=10m                how long a hang fault holds a request
              --login-user-minute-limit=100      jscode2session calls per user per minute (45011 beyond)
              --phone-number-minute-quota=10000  getuserphonenumber calls per appid per minute (45011 beyond)
              --phone-country-code-as-number=false  phone_info.countryCode as a number (86) instead of "86"
              --wecom-corp-ticket-hourly-limit=400  WeCom ticket calls per corp per hour and kind (45009 beyond)
              --wecom-app-ticket-hourly-limit=100   WeCom ticket calls per app per hour and kind (45009 beyond)
            Durations: 90 (seconds), 90s, 500ms, 5m, 2h, 1d or ISO-8601 (PT90S).
            Each option is also read from SIMULATOR_<NAME> (e.g. SIMULATOR_TOKEN_LIFETIME=20s).""";

    static final int DEFAULT_PORT = 9090;

    static LaunchOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        List<String> appTexts = new ArrayList<>();
        boolean help = false;
        String envApps = env.get("SIMULATOR_APPS");
        if (envApps != null && !envApps.isBlank()) {
            appTexts.addAll(List.of(envApps.split(",")));
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unrecognised argument " + arg + " (expected --name=value)");
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (name.equals("app")) {
                appTexts.add(value);
            } else {
                flags.put(name, value);
            }
        }
        Options options = new Options(flags, env);
        SimulatorSettings d = SimulatorSettings.defaults();
        SimulatorSettings settings = d
                .withTokenLifetime(options.get("token-lifetime", d.tokenLifetime(), LaunchOptions::duration))
                .withClassicGracePeriod(options.get("classic-grace", d.classicGracePeriod(), LaunchOptions::duration))
                .withStableRotationWindow(options.get("stable-window", d.stableRotationWindow(), LaunchOptions::duration))
                .withClassicDailyQuota(options.get("classic-daily-quota", d.classicDailyQuota(), LaunchOptions::number))
                .withStableDailyQuota(options.get("stable-daily-quota", d.stableDailyQuota(), LaunchOptions::number))
                .withStableMinuteQuota(options.get("stable-minute-quota", d.stableMinuteQuota(), LaunchOptions::number))
                .withForceRefreshDailyLimit(Math.toIntExact(options.get("force-refresh-daily-limit",
                        (long) d.forceRefreshDailyLimit(), LaunchOptions::number)))
                .withForceRefreshMinInterval(options.get("force-refresh-min-interval", d.forceRefreshMinInterval(),
                        LaunchOptions::duration))
                .withCodeLifetime(options.get("code-lifetime", d.codeLifetime(), LaunchOptions::duration))
                .withTicketLifetime(options.get("ticket-lifetime", d.ticketLifetime(), LaunchOptions::duration))
                .withClearQuotaMonthlyLimit(Math.toIntExact(options.get("clear-quota-monthly-limit",
                        (long) d.clearQuotaMonthlyLimit(), LaunchOptions::number)))
                .withHangDuration(options.get("hang-duration", d.hangDuration(), LaunchOptions::duration))
                .withLoginUserMinuteLimit(options.get("login-user-minute-limit", d.loginUserMinuteLimit(),
                        LaunchOptions::number))
                .withPhoneNumberMinuteQuota(options.get("phone-number-minute-quota", d.phoneNumberMinuteQuota(),
                        LaunchOptions::number))
                .withPhoneCountryCodeAsNumber(options.get("phone-country-code-as-number",
                        d.phoneCountryCodeAsNumber(), LaunchOptions::bool))
                .withWecomCorpTicketHourlyLimit(options.get("wecom-corp-ticket-hourly-limit",
                        d.wecomCorpTicketHourlyLimit(), LaunchOptions::number))
                .withWecomAppTicketHourlyLimit(options.get("wecom-app-ticket-hourly-limit",
                        d.wecomAppTicketHourlyLimit(), LaunchOptions::number));
        String host = options.get("host", WechatSimulator.LOOPBACK, (name, text) -> text);
        int port = Math.toIntExact(options.get("port", (long) DEFAULT_PORT, LaunchOptions::number));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        options.rejectUnknown();
        List<AppSpec> apps = appTexts.stream().filter(text -> !text.isBlank()).map(AppSpec::parse).toList();
        return new LaunchOptions(host, port, settings, apps, help);
    }

    /** Seconds by default; suffixes ms, s, m, h, d; or ISO-8601. */
    static Duration duration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException(name + ": unknown duration unit in " + text);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 90s, 5m, 2h: " + text);
        }
    }

    static Long number(String name, String text) {
        try {
            return Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + text);
        }
    }

    static Boolean bool(String name, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + text);
        };
    }

    /** Looks a name up in the flags, then in SIMULATOR_NAME; remembers which flags were used. */
    private static final class Options {
        private final Map<String, String> flags;
        private final Map<String, String> env;
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Options(Map<String, String> flags, Map<String, String> env) {
            this.flags = flags;
            this.env = env;
        }

        <T> T get(String name, T fallback, BiFunction<String, String, T> parser) {
            used.add(name);
            String text = flags.get(name);
            if (text == null) {
                text = env.get("SIMULATOR_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return text == null || text.isBlank() ? fallback : parser.apply(name, text);
        }

        void rejectUnknown() {
            for (String name : flags.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
        }
    }
}
