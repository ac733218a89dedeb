package io.jenkins.plugins.bluegreen.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian {@code prometheus}' promtool: backfills a TSDB from OpenMetrics text with explicit timestamps, so gate
 * tests query exact, known data at fixed instants instead of waiting for scrapes.
 */
public final class Promtool {

    public static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /**
     * Runs {@code promtool tsdb create-blocks-from openmetrics <file> <tsdbDir>}. OpenMetrics timestamps are in
     * seconds, each series' samples must be in time order, and the file must end with {@code # EOF}.
     */
    public static void backfill(Path openMetricsFile, Path tsdbDir) {
        PrometheusProcess.requireBinary(BINARY);
        try {
            String text = Files.readString(openMetricsFile, StandardCharsets.UTF_8);
            if (!text.stripTrailing().endsWith("# EOF")) {
                throw new IllegalArgumentException(openMetricsFile + " must end with the line '# EOF' (OpenMetrics)");
            }
            Files.createDirectories(tsdbDir);
            Path output = Files.createTempFile(tsdbDir.toAbsolutePath().getParent(), "promtool-", ".log");
            Process p = new ProcessBuilder(BINARY.toString(), "tsdb", "create-blocks-from", "openmetrics",
                    openMetricsFile.toString(), tsdbDir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool did not finish the backfill within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("promtool backfill of " + openMetricsFile + " failed (exit "
                        + p.exitValue() + "): " + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("promtool backfill of " + openMetricsFile + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the promtool backfill", e);
        }
    }
}
