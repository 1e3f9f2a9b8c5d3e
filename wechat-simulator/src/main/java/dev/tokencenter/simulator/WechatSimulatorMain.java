package dev.tokencenter.simulator;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator on its own: {@code java -jar wechat-simulator-<version>-exec.jar --port=9090}.
 * See {@link LaunchOptions#USAGE} for the options. Stops on SIGTERM / Ctrl-C.
 */
public final class WechatSimulatorMain {

    private WechatSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureSimpleLogger();
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("wechat-simulator: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            return;
        }
        Logger log = LoggerFactory.getLogger(WechatSimulatorMain.class);
        WechatSimulator simulator = WechatSimulator.start(options.settings(), options.host(), options.port());
        for (LaunchOptions.AppSpec app : options.apps()) {
            simulator.registerApp(app.appid(), app.secret(), app.platform());
            log.info("registered {} app {}", app.platform(), app.appid());
        }
        log.info("settings: {}", options.settings());
        log.info("WeChat simulator ready at {} (bound to {}:{})", simulator.baseUrl(), options.host(), simulator.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "wechat-simulator-shutdown"));
        stopped.await();
    }

    /** Sensible slf4j-simple defaults for the exec jar (only when the user did not set them). */
    private static void configureSimpleLogger() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
    }
}
