package io.jenkins.plugins.bluegreen.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus (Debian {@code prometheus} 2.42) on 127.0.0.1. It binds port 0 (or the port the Jenkins lab
 * asks for) and we read the port from its log line {@code msg="Listening on" address=127.0.0.1:NNNNN}, so there is no race for a
 * "free" port. Remember Prometheus' first scrape comes about 5 s after start whatever the interval: poll for
 * data, or backfill with {@link Promtool} and use {@link #startOnTsdb}.
 */
public final class PrometheusProcess implements AutoCloseable {

    public static final String DEBIAN_PACKAGE = "prometheus";
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final Path tsdbDir;
    private URI url;

    private PrometheusProcess(Process process, Path log, Path tsdbDir) {
        this.process = process;
        this.log = log;
        this.tsdbDir = tsdbDir;
    }

    /**
     * Starts Prometheus with a fresh TSDB under {@code workDir}, scraping {@code scrapeTargets} ({@code host:port},
     * path {@code /metrics}) in one job named {@code lab} every {@code scrapeInterval} (also the rule evaluation
     * interval). With no targets there is no scrape job.
     */
    public static PrometheusProcess start(Path workDir, List<String> scrapeTargets, Duration scrapeInterval) {
        return builder(workDir).scrape(scrapeTargets).scrapeInterval(scrapeInterval).start();
    }

    /** The same on 127.0.0.1:{@code port}; 0 lets the kernel choose, as every test does. A taken port fails here. */
    public static PrometheusProcess start(Path workDir, List<String> scrapeTargets, Duration scrapeInterval, int port) {
        return builder(workDir).scrape(scrapeTargets).scrapeInterval(scrapeInterval).port(port).start();
    }

    /** Prometheus with a fresh TSDB under {@code workDir}, configured step by step; see {@link Builder}. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * What the configuration holds: scrape targets, intervals, and for alerting tests the rule files and the
     * Alertmanagers the alerts go to. Prometheus always runs with {@code --rules.alert.resend-delay=1s}: it drops a
     * notification sent before it has discovered its Alertmanagers (about 5 s after start), and by default resends
     * only after a minute.
     */
    public static final class Builder {
        private final Path workDir;
        private List<String> scrapeTargets = List.of();
        private Duration scrapeInterval = Duration.ofSeconds(1);
        private Duration evaluationInterval;
        private int port;
        private final List<String> alertmanagers = new ArrayList<>();
        private final List<Path> ruleFiles = new ArrayList<>();
        private final List<String> rules = new ArrayList<>();

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Targets ({@code host:port}, path {@code /metrics}) of one job named {@code lab}; none: no scrape job. */
        public Builder scrape(List<String> targets) {
            for (String target : targets) {
                checkHostAndPort(target, "scrape target");
            }
            this.scrapeTargets = List.copyOf(targets);
            return this;
        }

        /** Every 1 s unless set; also the rule evaluation interval unless {@link #evaluationInterval} is set. */
        public Builder scrapeInterval(Duration interval) {
            this.scrapeInterval = checkInterval(interval, "scrape");
            return this;
        }

        public Builder evaluationInterval(Duration interval) {
            this.evaluationInterval = checkInterval(interval, "evaluation");
            return this;
        }

        /** 127.0.0.1:{@code port}; 0 (the default) lets the kernel choose. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** An Alertmanager ({@code host:port}, API v2) that receives the alerts of the rules. */
        public Builder alertmanager(String hostAndPort) {
            alertmanagers.add(checkHostAndPort(hostAndPort, "Alertmanager"));
            return this;
        }

        /** A rule file as it is on disk. */
        public Builder ruleFile(Path file) {
            ruleFiles.add(file.toAbsolutePath());
            return this;
        }

        /** A rule file with this content ({@code groups: [...]}), written next to the configuration. */
        public Builder rules(String yaml) {
            rules.add(yaml);
            return this;
        }

        public PrometheusProcess start() {
            Duration evaluation = evaluationInterval == null ? scrapeInterval : evaluationInterval;
            StringBuilder config = new StringBuilder()
                    .append("global:\n")
                    .append("  scrape_interval: ").append(scrapeInterval.toMillis()).append("ms\n")
                    .append("  evaluation_interval: ").append(evaluation.toMillis()).append("ms\n");
            try {
                Files.createDirectories(workDir);
                List<Path> files = new ArrayList<>(ruleFiles);
                for (String yaml : rules) {
                    Path file = Files.createTempFile(workDir, "rules-", ".yml");
                    Files.writeString(file, yaml, StandardCharsets.UTF_8);
                    files.add(file.toAbsolutePath());
                }
                if (!files.isEmpty()) {
                    config.append("rule_files:\n");
                    files.forEach(f -> config.append("  - '").append(f).append("'\n"));
                }
                if (!alertmanagers.isEmpty()) {
                    config.append("alerting:\n")
                            .append("  alertmanagers:\n")
                            .append("    - api_version: v2\n")
                            .append("      static_configs:\n")
                            .append("        - targets:\n");
                    alertmanagers.forEach(a -> config.append("            - '").append(a).append("'\n"));
                }
                if (!scrapeTargets.isEmpty()) {
                    config.append("scrape_configs:\n")
                            .append("  - job_name: lab\n")
                            .append("    static_configs:\n")
                            .append("      - targets:\n");
                    scrapeTargets.forEach(t -> config.append("          - '").append(t).append("'\n"));
                }
                return launch(workDir, Files.createTempDirectory(workDir, "prometheus-data-"), config.toString(), port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + workDir, e);
            }
        }

        private static Duration checkInterval(Duration interval, String what) {
            if (interval == null || interval.toMillis() < 1) {
                throw new IllegalArgumentException("the " + what + " interval must be at least 1 ms");
            }
            return interval;
        }

        private static String checkHostAndPort(String target, String what) {
            if (!target.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+")) {
                throw new IllegalArgumentException(what + " '" + target + "' is not host:port");
            }
            return target;
        }
    }

    /** Starts Prometheus without scrape jobs on an existing TSDB, e.g. one {@link Promtool#backfill} wrote. */
    public static PrometheusProcess startOnTsdb(Path workDir, Path tsdbDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + workDir, e);
        }
        return launch(workDir, tsdbDir, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n", 0);
    }

    private static PrometheusProcess launch(Path workDir, Path tsdbDir, String config, int port) {
        requireBinary(BINARY);
        PrometheusProcess prometheus;
        try {
            Path configFile = Files.createTempFile(workDir, "prometheus-", ".yml");
            Files.writeString(configFile, config, StandardCharsets.UTF_8);
            Path log = Files.createTempFile(workDir, "prometheus-", ".log");
            ProcessBuilder pb = new ProcessBuilder(BINARY.toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + tsdbDir,
                    // backfilled test data has fixed, old timestamps: keep it
                    "--storage.tsdb.retention.time=100y",
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle",
                    "--rules.alert.resend-delay=1s")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            prometheus = new PrometheusProcess(pb.start(), log, tsdbDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        try {
            prometheus.url = Processes.awaitReady(prometheus.process, prometheus.log, "Prometheus", START_TIMEOUT);
            return prometheus;
        } catch (RuntimeException e) {
            prometheus.close();
            throw e;
        }
    }

    static void requireBinary(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " not found: install the Debian package '" + DEBIAN_PACKAGE
                    + "' (apt-get install --no-install-recommends " + DEBIAN_PACKAGE + ")");
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public Path tsdbDir() {
        return tsdbDir;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops Prometheus by its PID (SIGTERM, then SIGKILL after 10 s) and waits for it. Idempotent. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }


    @Override
    public String toString() {
        return "Prometheus on " + url + " (pid " + process.pid() + ")";
    }
}
