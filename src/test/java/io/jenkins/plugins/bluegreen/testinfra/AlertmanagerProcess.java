package io.jenkins.plugins.bluegreen.testinfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * TEST CODE: a real Alertmanager (Debian {@code prometheus-alertmanager} 0.25) on 127.0.0.1. Like {@link
 * PrometheusProcess} it binds port 0 and reads the port from its log line {@code msg="Listening on"
 * address=127.0.0.1:NNNNN}. Clustering is off ({@code --cluster.listen-address=} empty; otherwise it binds
 * 0.0.0.0:9094). Its configuration, silences and log live in a temp dir of its own, deleted by {@link #close()}.
 * <p>
 * The route sends everything to a receiver that does nothing, with 1 s group waits: tests read alerts and silences
 * through the API, never notifications.
 */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final String DEBIAN_PACKAGE = "prometheus-alertmanager";
    public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String CONFIG = "route:\n"
            + "  receiver: 'null'\n"
            + "  group_wait: 1s\n"
            + "  group_interval: 1s\n"
            + "  repeat_interval: 1m\n"
            + "receivers:\n"
            + "  - name: 'null'\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private URI url;

    private AlertmanagerProcess(Process process, Path dir, Path log) {
        this.process = process;
        this.dir = dir;
        this.log = log;
    }

    /** Starts an Alertmanager in a new temp dir under {@code parent}. */
    public static AlertmanagerProcess start(Path parent) {
        requireBinary(BINARY);
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "alertmanager-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + parent, e);
        }
        AlertmanagerProcess alertmanager;
        try {
            Path config = dir.resolve("alertmanager.yml");
            Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
            Path log = dir.resolve("alertmanager.log");
            ProcessBuilder pb = new ProcessBuilder(BINARY.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:0",
                    "--cluster.listen-address=")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            alertmanager = new AlertmanagerProcess(pb.start(), dir, log);
        } catch (IOException e) {
            Processes.deleteRecursively(dir);
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        try {
            alertmanager.url = Processes.awaitReady(alertmanager.process, alertmanager.log, "Alertmanager", START_TIMEOUT);
            return alertmanager;
        } catch (RuntimeException e) {
            alertmanager.close();
            throw e;
        }
    }

    /** Starts an Alertmanager in a new temp dir under java.io.tmpdir. */
    public static AlertmanagerProcess start() {
        return start(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static void requireBinary(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " not found: install the Debian package '" + DEBIAN_PACKAGE
                    + "' (apt-get install --no-install-recommends " + DEBIAN_PACKAGE + ")");
        }
    }

    /**
     * Fires an alert through {@code POST /api/v2/alerts}, as Prometheus would send it, active from now for
     * {@code lasting}. Posting the same labels again refreshes it.
     */
    public void fire(Map<String, String> labels, Duration lasting) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ArrayNode alerts = JSON.createArrayNode();
        ObjectNode alert = alerts.addObject();
        ObjectNode l = alert.putObject("labels");
        labels.forEach(l::put);
        alert.put("startsAt", now.toString()).put("endsAt", now.plus(lasting).toString());
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v2/alerts"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(alerts.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Alertmanager refused the alert: HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return url;
    }

    /** {@code 127.0.0.1:NNNNN}, as Prometheus' alerting configuration names a target. */
    public String hostAndPort() {
        return url.getHost() + ":" + url.getPort();
    }

    public long pid() {
        return process.pid();
    }

    /** The temp dir with the configuration, the silences and the log; gone after {@link #close()}. */
    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops Alertmanager by its PID (SIGTERM, then SIGKILL after 10 s), waits for it and deletes its dir. Idempotent. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
        Processes.deleteRecursively(dir);
    }


    @Override
    public String toString() {
        return "Alertmanager on " + url + " (pid " + process.pid() + ")";
    }
}
