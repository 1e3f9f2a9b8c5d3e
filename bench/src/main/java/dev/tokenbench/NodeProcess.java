package dev.tokenbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A token center JVM started by the refresh-scale benchmark: its CPU time (/proc) and heap (jcmd). */
final class NodeProcess implements AutoCloseable {

    private static final Pattern THREAD_CPU = Pattern.compile("^\"([^\"]+)\".*? cpu=([0-9.]+)ms", Pattern.MULTILINE);
    /** {@code GC.heap_info}: "total 262144K, used …K" (JDK 17), "total reserved …K, committed 262144K, used …K" (JDK 25). */
    private static final Pattern HEAP_USED = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K");

    final String name;
    final int port;
    final Path readyFile;
    private final Process process;
    private final long clockTicksPerSecond;

    private NodeProcess(String name, int port, Path readyFile, Process process, long clockTicksPerSecond) {
        this.name = name;
        this.port = port;
        this.readyFile = readyFile;
        this.process = process;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /**
     * Starts an instance from {@code app}: the launcher jar of an extracted layout ({@code java -Djarmode=tools -jar
     * ... extract}: classes and libraries as plain jars, as the container image runs them), or else the executable jar.
     */
    static NodeProcess start(String name, int port, Path app, boolean extracted, Path out, String javaOptions,
                             List<String> args, long clockTicksPerSecond) throws IOException {
        Path readyFile = out.resolve(name + ".ready");
        Files.deleteIfExists(readyFile);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(javaOptions.trim().split("\\s+")));
        if (extracted) {
            command.addAll(List.of("-cp", app.toString(), ScaleNode.class.getName()));
        } else {
            command.addAll(List.of("-Dloader.main=" + ScaleNode.class.getName(), "-jar", app.toString()));
        }
        command.add("--server.port=" + port);
        command.add("--management.server.port=0");   // any free port: the instances run side by side
        command.add("--ready-file=" + readyFile);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve(name + ".log").toFile()).start();
        return new NodeProcess(name, port, readyFile, process, clockTicksPerSecond);
    }

    boolean isReady() {
        return Files.exists(readyFile);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User plus system CPU time consumed so far, in seconds. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) clockTicksPerSecond;
    }

    /** Heap in use after a full collection (MiB), and the heap committed (MiB). */
    double[] heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher matcher = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!matcher.find()) {
            return new double[] {-1, -1};
        }
        return new double[] {Long.parseLong(matcher.group(2)) / 1024.0, Long.parseLong(matcher.group(1)) / 1024.0};
    }

    /** CPU time per thread (ms), threads named without their trailing number (pools add up). */
    Map<String, Double> threadCpuMillis() throws IOException, InterruptedException {
        Map<String, Double> byName = new HashMap<>();
        Matcher matcher = THREAD_CPU.matcher(jcmd("Thread.print"));
        while (matcher.find()) {
            byName.merge(matcher.group(1).replaceAll("[0-9]+$", "#"), Double.parseDouble(matcher.group(2)), Double::sum);
        }
        return byName;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** Asks the JVM to stop (SIGTERM: shutdown hooks run) and waits up to {@code grace} before killing it. */
    void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
