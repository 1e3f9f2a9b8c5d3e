package dev.tokencenter.refresh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The table of {@link ResilienceTest}: one row per phase, and the machine it ran on. */
final class ResilienceReport {

    private ResilienceReport() {
    }

    static String table(List<ResiliencePhase> phases, String setup, Duration runtime) {
        StringBuilder out = new StringBuilder();
        out.append("Resilience run: ").append(setup).append('\n');
        out.append("Machine: ").append(machine()).append('\n');
        out.append("Test runtime: ").append(runtime.toSeconds()).append(" s\n\n");
        out.append("| phase | fault (s) / phase (s) | reads | failed | > 1 s | hung | invalid tokens "
                + "| longest failing span | upstream calls per credential (failed on purpose) | new tokens | minimum calls "
                + "| duplicate fetches | token_state rows before → after | reads back after | state back after |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (ResiliencePhase phase : phases) {
            out.append(String.format(Locale.ROOT, "| %s | %s: %d / %d | %,d | %,d | %,d | %,d | %,d | %s | %d = %s (%d) | %d "
                            + "| %d | %d | %d → %d | %s | %s |%n",
                    phase.name, phase.fault, phase.faultLasted.toSeconds(), phase.phaseLasted.toSeconds(),
                    phase.reads.get(), phase.failed.get(), phase.slow.get(), phase.hung.get(), phase.invalid.get(),
                    seconds(phase.longestFailingSpan()), phase.upstreamCalls,
                    phase.callsPerCredential.stream().map(String::valueOf).collect(Collectors.joining("+")),
                    phase.faultedCalls, phase.newTokens,
                    phase.minimumCalls, phase.duplicates, phase.rowsBefore, phase.rowsAfter,
                    seconds(phase.readsBackAfter()), seconds(phase.stateBackAfter)));
        }
        for (ResiliencePhase phase : phases) {
            if (!phase.failureSamples.isEmpty()) {
                out.append('\n').append(phase.name).append(": first failures\n");
                phase.failureSamples.forEach(sample -> out.append("  ").append(sample).append('\n'));
            }
        }
        return out.toString();
    }

    static void write(String report) {
        try {
            Path file = Path.of("target", "resilience-report.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report);
        } catch (IOException e) {
            System.out.println("resilience: could not write the report: " + e);
        }
    }

    private static String seconds(Duration duration) {
        return duration == null ? "not within the bound" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%d CPUs (%s), %s memory, JDK %s (%s), %s %s", runtime.availableProcessors(),
                procField("/proc/cpuinfo", "model name"), procField("/proc/meminfo", "MemTotal"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    private static String procField(String file, String field) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
