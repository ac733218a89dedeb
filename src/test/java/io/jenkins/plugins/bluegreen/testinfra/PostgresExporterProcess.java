package io.jenkins.plugins.bluegreen.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real postgres_exporter (Debian {@code prometheus-postgres-exporter} 0.11) on 127.0.0.1 and a free port.
 * Version 0.11 takes its database only from {@code DATA_SOURCE_NAME}, and answers every path with 200 (no
 * readiness endpoint), so readiness means: {@code /metrics} shows {@code pg_up 1}.
 */
public final class PostgresExporterProcess implements AutoCloseable {

    public static final String DEBIAN_PACKAGE = "prometheus-postgres-exporter";
    public static final Path BINARY = Path.of("/usr/bin/prometheus-postgres-exporter");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;
    private final Path log;

    private PostgresExporterProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an exporter for {@code postgres}; its log goes to {@code workDir}. */
    public static PostgresExporterProcess start(PostgresProcess postgres, Path workDir) {
        return start(postgres.dataSourceName(), workDir);
    }

    public static PostgresExporterProcess start(String dataSourceName, Path workDir) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install the Debian package '" + DEBIAN_PACKAGE
                    + "' (scripts/lib/prerequisites.sh ensure_test_services does)");
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken before we bind it
            int port = PostgresProcess.freePort();
            Path log = workDir.resolve("postgres-exporter-" + port + ".log");
            PostgresExporterProcess exporter;
            try {
                Files.createDirectories(workDir);
                ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                Map<String, String> env = pb.environment();
                env.keySet().removeIf(k -> k.startsWith("PG_EXPORTER_") || k.startsWith("DATA_SOURCE_"));
                env.put("DATA_SOURCE_NAME", dataSourceName);
                exporter = new PostgresExporterProcess(pb.start(), port, log);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + BINARY, e);
            }
            try {
                exporter.awaitDatabaseUp();
                return exporter;
            } catch (IllegalStateException e) {
                exporter.close();
                last = e;
            }
        }
        throw last;
    }

    private void awaitDatabaseUp() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres_exporter exited with " + process.exitValue() + ": "
                        + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(metricsUrl())
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().lines().anyMatch(l -> l.equals("pg_up 1"))) {
                    return;
                }
                lastProblem = "HTTP " + r.statusCode() + ", no 'pg_up 1' in /metrics";
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for postgres_exporter", e);
            }
            Processes.sleep(100);
        }
        throw new IllegalStateException("postgres_exporter did not report pg_up 1 within " + READY_TIMEOUT.toSeconds()
                + " s (" + lastProblem + "): " + logTail());
    }

    /** {@code 127.0.0.1:port}, as a Prometheus scrape target. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public URI metricsUrl() {
        return URI.create("http://" + target() + "/metrics");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the exporter by its PID (SIGTERM, then SIGKILL after 5 s). Idempotent. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(5));
    }

    private String logTail() {
        return Processes.logTail(log);
    }


    @Override
    public String toString() {
        return "postgres_exporter on " + target() + " (pid " + process.pid() + ")";
    }
}
