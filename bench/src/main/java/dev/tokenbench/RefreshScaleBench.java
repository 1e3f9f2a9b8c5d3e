package dev.tokenbench;

import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.crypto.MasterKeyRing;
import dev.tokencenter.embedded.EmbeddedPostgresServer;
import dev.tokencenter.embedded.EmbeddedRedisServer;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.flywaydb.core.Flyway;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The refresh-scale benchmark (run {@code bench/refresh-scale.sh}): embedded PostgreSQL and Redis, the WeChat simulator
 * with compressed token lifetimes, {@code --credentials} credentials (a third each classic, stable and WeCom) inserted
 * in bulk, then two token center JVMs. Measures the first fill, an idle phase (nothing due) and one refresh cycle, and
 * prints fetches per credential per cycle, refresh lag, least lifetime left on served tokens, CPU and heap per instance.
 */
public final class RefreshScaleBench {

    private static final String TENANT = "bench";
    private static final String[] MODES = {"classic", "stable", "wecom"};

    public static void main(String[] args) {
        try {
            run(BenchLauncher.options(args));
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static String modeOf(int i) {
        return MODES[i % 3];
    }

    /** At most this many credentials still without a token have their statuses written to {@code fill-tail.log}. */
    private static final int TAIL_LOGGED = 100;

    private static void run(Map<String, String> options) throws Exception {
        int credentials = Integer.parseInt(options.getOrDefault("credentials", "10000"));
        Duration lifetime = Duration.ofSeconds(Long.parseLong(options.getOrDefault("lifetime-seconds", "300")));
        Path jar = Path.of(options.get("jar"));
        Path nodeApp = options.containsKey("node-app") ? Path.of(options.get("node-app")) : jar;
        boolean extracted = options.containsKey("node-app");
        Path out = Path.of(options.getOrDefault("out", "bench/target/refresh-scale"));
        String javaOptions = options.getOrDefault("java-options", "-Xmx512m");
        long clockTicks = Long.parseLong(options.getOrDefault("clock-ticks", "100"));
        Files.createDirectories(out);

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redisServer = EmbeddedRedisServer.start();
        WechatSimulator simulator = WechatSimulator.start(SimulatorSettings.defaults().withTokenLifetime(lifetime)
                .withStableRotationWindow(Duration.ofSeconds(60)), 0);
        List<NodeProcess> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(NodeProcess::close);
            simulator.close();
            redisServer.close();
            postgres.close();
        }));
        Config config = new Config();
        config.useSingleServer().setAddress(redisServer.address());
        RedissonClient redis = Redisson.create(config);

        String masterKeys = "bench1:" + java.util.Base64.getEncoder().encodeToString(randomBytes(32));
        Instant provisionStart = Instant.now();
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
                .locations("classpath:db/migration").load().migrate();
        List<BulkRegistry.Row> rows = new ArrayList<>();
        for (int i = 0; i < credentials; i++) {
            String mode = modeOf(i);
            String appid = (mode.equals("wecom") ? "ww" : "wx") + String.format("%016x", 0x5ca1e00000000000L + i);
            String secret = String.format("%032x", 0x5ec7e70000000000L + 7919L * i);
            simulator.registerApp(appid, secret, mode.equals("wecom") ? Platform.WECOM : Platform.WECHAT);
            rows.add(new BulkRegistry.Row("app-" + i, switch (mode) {
                case "classic" -> "WECHAT_OFFICIAL_ACCOUNT";
                case "stable" -> "WECHAT_MINIPROGRAM";
                default -> "WECOM";
            }, mode.equals("classic") ? "CLASSIC" : "STABLE", appid, secret));
        }
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            new BulkRegistry(connection, new EnvelopeCipher(MasterKeyRing.parse(masterKeys))).insert(TENANT, rows);
        }
        Duration provisioning = Duration.between(provisionStart, Instant.now());

        List<String> common = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--token-center.redis.address=" + redisServer.address(),
                "--token-center.crypto.master-keys=" + masterKeys,
                "--token-center.wechat.api-base-url=" + simulator.baseUrl(),
                "--token-center.wecom.api-base-url=" + simulator.baseUrl(),
                "--token-center.refresh.minimum-lifetime=20s",
                "--token-center.refresh.minimum-lead=60s",
                "--token-center.refresh.stable-rotation-window=60s",
                "--token-center.refresh.stable-lead=50s",
                "--token-center.refresh.jitter=10s"));
        String extra = options.getOrDefault("service-args", "").trim();
        if (!extra.isEmpty()) {
            common.addAll(List.of(extra.split("\\s+")));
        }
        Path keyFile = out.resolve("client.key");
        Files.deleteIfExists(keyFile);
        if (options.containsKey("train-class-data")) {
            trainClassData(Path.of(options.get("train-class-data")), options.get("train-java-option"), nodeApp, extracted,
                    out, javaOptions, common, keyFile, postgres, redis, credentials, clockTicks, nodes);
            redis.shutdown();
            return;
        }
        Instant start = Instant.now();
        List<String> first = new ArrayList<>(common);
        first.add("--client-key-file=" + keyFile);
        nodes.add(NodeProcess.start("node-a", 18180, nodeApp, extracted, out, javaOptions, first, clockTicks));
        nodes.add(NodeProcess.start("node-b", 18181, nodeApp, extracted, out, javaOptions, common, clockTicks));
        List<Long> upstreamIds = awaitUpstreamIds(postgres, credentials, nodes);

        // fill: from start until every credential holds a token
        Instant servicesUp = null;
        List<Long> withoutToken = new ArrayList<>(upstreamIds);
        int polls = 0;
        while (true) {
            for (NodeProcess node : nodes) {
                if (!node.isAlive()) {
                    throw new IllegalStateException(node.name + " exited; see " + out.resolve(node.name + ".log"));
                }
            }
            if (servicesUp == null && nodes.stream().allMatch(NodeProcess::isReady)) {
                servicesUp = Instant.now();
            }
            seeTokens(redis, withoutToken);
            if (withoutToken.isEmpty()) {
                break;
            }
            if (withoutToken.size() <= TAIL_LOGGED && polls % 4 == 0) {
                logTail(redis, withoutToken, Duration.between(start, Instant.now()), out.resolve("fill-tail.log"));
            }
            if (++polls % 10 == 0) {
                System.out.printf(Locale.ROOT, "fill: %d upstream fetches for %d credentials after %d s%n",
                        callsByAppid(simulator).values().stream().mapToLong(Long::longValue).sum(), credentials,
                        Duration.between(start, Instant.now()).toSeconds());
            }
            if (Duration.between(start, Instant.now()).toSeconds() > 300) {
                throw new IllegalStateException("only " + (credentials - withoutToken.size()) + " of " + credentials
                        + " tokens after 300 s");
            }
            Thread.sleep(500);
        }
        Instant allReady = Instant.now();
        StatusSnapshot filled = StatusSnapshot.read(redis, upstreamIds);
        while (!nodes.stream().allMatch(NodeProcess::isReady) || !Files.exists(keyFile)) {
            Thread.sleep(100);
        }
        if (servicesUp == null) {
            servicesUp = Instant.now();
        }
        Map<String, Long> fillCalls = callsByAppid(simulator);
        double[] cpuAtReady = cpu(nodes);

        SampleReader reader = new SampleReader(nodes.stream().map(node -> node.port).toList(),
                Files.readString(keyFile).trim(), credentials, RefreshScaleBench::modeOf, 100);
        reader.on(true);
        Thread.sleep(5_000);
        reader.on(false);

        // idle: nothing is due until the first planned refresh
        Instant firstDue = filled.byUpstreamId().values().stream().map(StatusSnapshot.Entry::nextRefreshAt)
                .min(Instant::compareTo).orElseThrow();
        Duration idleWindow = Duration.between(Instant.now(), firstDue).minusSeconds(5);
        if (idleWindow.compareTo(Duration.ofSeconds(180)) > 0) {
            idleWindow = Duration.ofSeconds(180);
        }
        double[] idleCpu = new double[] {0, 0};
        double idleSeconds = 0;
        List<String> idleThreads = new ArrayList<>();
        double[] idleCompilerSeconds = new double[nodes.size()];
        if (idleWindow.toSeconds() >= 90) {
            Thread.sleep(60_000); // let background compilation and collection after the fill settle
            List<Map<String, Double>> threadsBefore = threadCpu(nodes);
            double[] before = cpu(nodes);
            Instant idleStart = Instant.now();
            Thread.sleep(idleWindow.minusSeconds(60).toMillis());
            double[] after = cpu(nodes);
            idleSeconds = Duration.between(idleStart, Instant.now()).toMillis() / 1000.0;
            idleCpu = new double[] {after[0] - before[0], after[1] - before[1]};
            List<Map<String, Double>> threadsAfter = threadCpu(nodes);
            for (int n = 0; n < nodes.size(); n++) {
                idleThreads.add(topThreads(threadsBefore.get(n), threadsAfter.get(n)));
                idleCompilerSeconds[n] = compilerMillis(threadsAfter.get(n)) / 1000.0
                        - compilerMillis(threadsBefore.get(n)) / 1000.0;
            }
        }
        double[][] idleHeap = heaps(nodes);
        StatusSnapshot beforeCycle = StatusSnapshot.read(redis, upstreamIds);
        Map<String, Long> callsBeforeCycle = callsByAppid(simulator);

        // one refresh cycle: from the first due time until every credential has refreshed once
        reader.on(true);
        while (Instant.now().isBefore(firstDue)) {
            Thread.sleep(100);
        }
        double[] cycleCpuBefore = cpu(nodes);
        Instant cycleStart = Instant.now();
        Instant lastDue = beforeCycle.byUpstreamId().values().stream().map(StatusSnapshot.Entry::nextRefreshAt)
                .max(Instant::compareTo).orElseThrow();
        // the first refresh of each credential after the snapshot, seen by polling (a refresh takes one cycle)
        Map<Long, Instant> firstRefreshedAt = new HashMap<>();
        List<Long> waiting = new ArrayList<>(upstreamIds);
        while (!waiting.isEmpty() && Instant.now().isBefore(lastDue.plusSeconds(60))) {
            StatusSnapshot current = StatusSnapshot.read(redis, waiting); // only those not seen refreshed yet
            current.byUpstreamId().forEach((id, now) -> {
                if (now.sequence() > beforeCycle.byUpstreamId().get(id).sequence()) {
                    firstRefreshedAt.putIfAbsent(id, now.obtainedAt());
                }
            });
            waiting.removeIf(firstRefreshedAt::containsKey);
            Thread.sleep(500);
        }
        double[] cycleCpuAfter = cpu(nodes);
        double cycleSeconds = Duration.between(cycleStart, Instant.now()).toMillis() / 1000.0;
        reader.on(false);
        Map<String, Long> callsAfterCycle = callsByAppid(simulator);
        double[][] endHeap = heaps(nodes);

        // figures
        List<Long> lagsMillis = new ArrayList<>();
        long refreshedInCycle = firstRefreshedAt.size();
        firstRefreshedAt.forEach((id, obtainedAt) -> lagsMillis.add(
                Duration.between(beforeCycle.byUpstreamId().get(id).nextRefreshAt(), obtainedAt).toMillis()));
        lagsMillis.sort(Long::compare);
        long fillTotal = fillCalls.values().stream().mapToLong(Long::longValue).sum();
        long fillMax = fillCalls.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long cycleTotal = 0;
        long cycleMax = 0;
        long cycleDuplicates = 0;
        for (Map.Entry<String, Long> entry : callsAfterCycle.entrySet()) {
            long calls = entry.getValue() - callsBeforeCycle.getOrDefault(entry.getKey(), 0L);
            cycleTotal += calls;
            cycleMax = Math.max(cycleMax, calls);
            cycleDuplicates += calls > 1 ? 1 : 0;
        }

        System.out.println("=== figures");
        System.out.printf(Locale.ROOT, "credentials: %d (classic / stable / WeCom, a third each), simulated token lifetime %d s,"
                + " 2 instances (JVM options: %s)%n", credentials, lifetime.toSeconds(), javaOptions.trim());
        System.out.printf(Locale.ROOT, "provisioning (migrations, bulk insert, simulator registration): %.1f s%n",
                provisioning.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "start to every token ready: %.1f s (JVM start to both services up: %.1f s; services up to"
                + " every token ready: %.1f s)%n", Duration.between(start, allReady).toMillis() / 1000.0,
                Duration.between(start, servicesUp).toMillis() / 1000.0,
                Math.max(0, Duration.between(servicesUp, allReady).toMillis()) / 1000.0);
        System.out.printf(Locale.ROOT, "fill progress (JVM start to the n-th token obtained): %s%n",
                fillProgress(filled, start));
        System.out.printf(Locale.ROOT, "first fill: %d upstream fetches for %d credentials = %.4f per credential (max %d for one)%n",
                fillTotal, credentials, fillTotal / (double) credentials, fillMax);
        System.out.printf(Locale.ROOT, "refresh cycle: %d of %d credentials refreshed, %d upstream fetches = %.4f per credential"
                + " per cycle (max %d for one; %d with more than one)%n", refreshedInCycle, credentials, cycleTotal,
                cycleTotal / (double) Math.max(1, refreshedInCycle), cycleMax, cycleDuplicates);
        System.out.printf(Locale.ROOT, "refresh lag (due time to new token stored): p50 %d ms, p99 %d ms, max %d ms%n",
                percentile(lagsMillis, 50), percentile(lagsMillis, 99), lagsMillis.isEmpty() ? -1 : lagsMillis.get(lagsMillis.size() - 1));
        System.out.printf(Locale.ROOT, "sample reads: %d (%d failed); least lifetime left on a served token (expires_at, whole"
                + " seconds, minus the time the request was sent): %s%n", reader.reads.get(), reader.failures.get(), leastLeft(reader.leastMillisLeft()));
        for (int n = 0; n < nodes.size(); n++) {
            NodeProcess node = nodes.get(n);
            System.out.printf(Locale.ROOT, "%s: CPU start-up + fill %.1f s; busy (refresh cycle, %.0f s) %.1f%% of a core;"
                            + " idle (%.0f s, nothing due) %.2f%% of a core; heap after GC idle %.0f MiB, end %.0f MiB"
                            + " (committed %.0f MiB)%n", node.name, cpuAtReady[n], cycleSeconds,
                    100 * (cycleCpuAfter[n] - cycleCpuBefore[n]) / cycleSeconds, idleSeconds,
                    idleSeconds == 0 ? -1 : 100 * idleCpu[n] / idleSeconds, idleHeap[n][0], endHeap[n][0], endHeap[n][1]);
        }
        for (int n = 0; n < idleThreads.size(); n++) {
            System.out.printf(Locale.ROOT, "%s idle CPU without the JIT compiler threads %.2f%% of a core; by thread"
                            + " (ms over %.0f s): %s%n", nodes.get(n).name,
                    100 * (idleCpu[n] - idleCompilerSeconds[n]) / idleSeconds, idleSeconds, idleThreads.get(n));
        }
        reader.close();
        redis.shutdown();
    }

    /**
     * A training run for class data sharing: one instance starts, fills every credential and serves sample reads, then
     * stops, and the JVM writes {@code archive} on its way out, as {@code trainOption} asks
     * ({@code -XX:ArchiveClassesAtExit}: the classes it loaded; from JDK 25 {@code -XX:AOTCacheOutput}: those classes
     * linked, and the profiles of the methods it ran); the measured instances start from that archive.
     */
    private static void trainClassData(Path archive, String trainOption, Path nodeApp, boolean extracted, Path out,
                                       String javaOptions, List<String> common, Path keyFile, EmbeddedPostgresServer postgres,
                                       RedissonClient redis, int credentials, long clockTicks, List<NodeProcess> nodes)
            throws Exception {
        List<String> args = new ArrayList<>(common);
        args.add("--client-key-file=" + keyFile);
        NodeProcess node = NodeProcess.start("training", 18180, nodeApp, extracted, out,
                javaOptions + " " + trainOption, args, clockTicks);
        nodes.add(node);
        List<Long> upstreamIds = awaitUpstreamIds(postgres, credentials, nodes);
        Instant deadline = Instant.now().plusSeconds(180);
        while (!node.isReady() || !Files.exists(keyFile)
                || StatusSnapshot.read(redis, upstreamIds).byUpstreamId().values().stream().anyMatch(e -> e.sequence() == 0)) {
            if (!node.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the training instance did not fill; see " + out.resolve("training.log"));
            }
            Thread.sleep(250);
        }
        try (SampleReader reader = new SampleReader(List.of(node.port), Files.readString(keyFile).trim(), credentials,
                RefreshScaleBench::modeOf, 100)) {
            reader.on(true);
            Thread.sleep(3_000);
            reader.on(false);
        }
        node.stop(Duration.ofSeconds(120));
        nodes.remove(node);
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no class data archive written; see " + out.resolve("training.log"));
        }
        System.out.printf(Locale.ROOT, "class data archive: %s (%d MiB)%n", archive, Files.size(archive) >> 20);
    }

    /**
     * Drops from {@code withoutToken} the credentials that hold a token now. Reads their statuses a chunk at a time and
     * stops at the first chunk that still has one without a token: the fill goes in no particular order, so the rest
     * would too, and reading every status twice a second would take CPU from the instances measured.
     */
    private static void seeTokens(RedissonClient redis, List<Long> withoutToken) {
        int from = 0;
        while (from < withoutToken.size()) {
            List<Long> chunk = new ArrayList<>(withoutToken.subList(from, Math.min(withoutToken.size(), from + 500)));
            Map<Long, StatusSnapshot.Entry> seen = StatusSnapshot.read(redis, chunk).byUpstreamId();
            List<Long> stillWithout = chunk.stream().filter(id -> seen.get(id) == null || seen.get(id).sequence() == 0).toList();
            withoutToken.subList(from, from + chunk.size()).clear();
            withoutToken.addAll(from, stillWithout);
            if (!stillWithout.isEmpty()) {
                return;
            }
        }
    }

    /**
     * The last few credentials without a token, with their raw statuses, so that a slow end of the fill can be told
     * apart: no status (never attempted), REFRESHING (an attempt under way or abandoned), RETRY (failed, backing off).
     */
    private static void logTail(RedissonClient redis, List<Long> withoutToken, Duration elapsed, Path file) throws IOException {
        Map<String, String> statuses = redis.getBuckets(StringCodec.INSTANCE)
                .get(withoutToken.stream().map(id -> "token-center:status:" + id).toArray(String[]::new));
        StringBuilder lines = new StringBuilder();
        for (long id : withoutToken) {
            lines.append(String.format(Locale.ROOT, "%.1f s %d %s%n", elapsed.toMillis() / 1000.0, id,
                    statuses.getOrDefault("token-center:status:" + id, "no status")));
        }
        Files.writeString(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** When, counted from the JVMs' start, half, 90 %, 99 %, 99.9 % and all of the credentials had obtained their token. */
    private static String fillProgress(StatusSnapshot filled, Instant start) {
        List<Long> millis = filled.byUpstreamId().values().stream().map(StatusSnapshot.Entry::obtainedAt)
                .filter(Objects::nonNull).map(at -> Duration.between(start, at).toMillis()).sorted().toList();
        StringBuilder text = new StringBuilder();
        for (double share : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
            int index = Math.max(0, (int) Math.ceil(share * millis.size()) - 1);
            text.append(String.format(Locale.ROOT, "%s%s%% %.1f s", text.isEmpty() ? "" : ", ",
                    BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros()
                            .toPlainString(), millis.get(index) / 1000.0));
        }
        return text.toString();
    }

    private static List<Long> awaitUpstreamIds(EmbeddedPostgresServer postgres, int credentials, List<NodeProcess> nodes)
            throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            for (int attempt = 0; attempt < 1200; attempt++) {
                List<Long> ids = new ArrayList<>();
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("select id from upstream_credential")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                if (ids.size() >= credentials) {
                    return ids;
                }
                for (NodeProcess node : nodes) {
                    if (!node.isAlive()) {
                        throw new IllegalStateException(node.name + " exited; see its log");
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the catalog was not loaded in time");
    }

    private static Map<String, Long> callsByAppid(WechatSimulator simulator) {
        Map<String, Long> calls = new HashMap<>();
        simulator.callCounts().forEach((appid, byEndpoint) -> calls.put(appid, byEndpoint.entrySet().stream()
                .filter(entry -> entry.getKey().contains("token")).mapToLong(Map.Entry::getValue).sum()));
        return calls;
    }

    private static double[] cpu(List<NodeProcess> nodes) throws Exception {
        double[] seconds = new double[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            seconds[n] = nodes.get(n).cpuSeconds();
        }
        return seconds;
    }

    private static List<Map<String, Double>> threadCpu(List<NodeProcess> nodes) throws Exception {
        List<Map<String, Double>> all = new ArrayList<>();
        for (NodeProcess node : nodes) {
            all.add(node.threadCpuMillis());
        }
        return all;
    }

    private static double compilerMillis(Map<String, Double> threads) {
        return threads.entrySet().stream().filter(entry -> entry.getKey().contains("CompilerThread"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static String topThreads(Map<String, Double> before, Map<String, Double> after) {
        return after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0.0)))
                .filter(entry -> entry.getValue() >= 1)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(8)
                .map(entry -> String.format(Locale.ROOT, "%s %.0f", entry.getKey(), entry.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }

    private static double[][] heaps(List<NodeProcess> nodes) throws Exception {
        double[][] heaps = new double[nodes.size()][];
        for (int n = 0; n < nodes.size(); n++) {
            heaps[n] = nodes.get(n).heapAfterGc();
        }
        return heaps;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static String leastLeft(Map<String, Long> byMode) {
        StringBuilder text = new StringBuilder();
        for (String mode : MODES) {
            Long millis = byMode.get(mode);
            text.append(text.length() == 0 ? "" : ", ").append(mode).append(' ')
                    .append(millis == null ? "n/a" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
        }
        return text.toString();
    }
}
