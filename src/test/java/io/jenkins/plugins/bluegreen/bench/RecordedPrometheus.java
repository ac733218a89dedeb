package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.metrics.Sample;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import io.jenkins.plugins.bluegreen.testinfra.Promtool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * TEST CODE: one real Prometheus for many rollouts' gates, on a recorded series (two hours of request counters,
 * backfilled with promtool) instead of live apps: thousands of rollouts cannot each have real app instances on two
 * cores, but their gates can all ask one Prometheus real PromQL. The built-in {@code errorRate} gate (1m rate, 60 s
 * sustain) reads, in namespace {@value #NAMESPACE}, colour green, either {@value #HEALTHY} (0.2 % errors) or
 * {@value #FAILING} (6 % errors throughout, so its gate fails at the first evaluation).
 *
 * <p>The clients it hands out query at a fixed offset: the benchmark's "now" maps to a point 10 minutes into the
 * recording, and the clock moves on in real time from there.
 */
final class RecordedPrometheus implements AutoCloseable {

    static final String NAMESPACE = "bench";
    static final String HEALTHY = "checkout";
    static final String FAILING = "checkout-bad";
    /** 2024-02-01T00:00:00Z: the recording's start. */
    private static final long T0 = 1_706_745_600L;
    private static final int SPAN_SECONDS = 7200;
    private static final int STEP_SECONDS = 5;

    private final Path dir;
    private final PrometheusProcess process;
    private final Duration shift;

    private RecordedPrometheus(Path dir, PrometheusProcess process) {
        this.dir = dir;
        this.process = process;
        this.shift = Duration.between(Instant.ofEpochSecond(T0 + 600), Instant.now());
    }

    static RecordedPrometheus start() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("bg-bench-prometheus-");
            Path om = dir.resolve("recorded.om");
            Files.writeString(om, openMetrics(), StandardCharsets.UTF_8);
            Path tsdb = dir.resolve("tsdb");
            Promtool.backfill(om, tsdb);
            return new RecordedPrometheus(dir, PrometheusProcess.startOnTsdb(dir, tsdb));
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** A client of its own (its own JDK HttpClient), querying the recording at the benchmark's offset. */
    PrometheusClient client() {
        return new Shifted(new PrometheusEndpoint(process.url(), null, Duration.ofSeconds(10)), shift);
    }

    /** The built-in error-rate gate on the healthy or the failing recording, evaluated every {@code interval}. */
    static Gate gate(boolean failing, Duration interval) {
        return GateTemplate.ERROR_RATE.gate(NAMESPACE, failing ? FAILING : HEALTHY, "green").withInterval(interval);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
        delete(dir);
    }

    /** Queries the recording: the benchmark's instant minus the offset. */
    private static final class Shifted extends PrometheusClient {
        private final Duration shift;

        Shifted(PrometheusEndpoint endpoint, Duration shift) {
            super(endpoint, HttpTransport.of(HttpClient.newBuilder()));
            this.shift = shift;
        }

        @Override
        public List<Sample> instantQuery(String promql, Instant at) throws PrometheusException, InterruptedException {
            return super.instantQuery(promql, at.minus(shift));
        }
    }

    private static String openMetrics() {
        StringBuilder om = new StringBuilder();
        counters(om, HEALTHY, 1);
        counters(om, FAILING, 30);
        return om.append("# EOF\n").toString();
    }

    /** 500 requests per 5 s step, {@code errors} of them answered 500. */
    private static void counters(StringBuilder om, String service, int errors) {
        String labels = "namespace=\"" + NAMESPACE + "\",service=\"" + service + "\",color=\"green\"";
        for (String code : new String[] {"200", "500"}) {
            long count = 0;
            for (int s = 0; s <= SPAN_SECONDS; s += STEP_SECONDS) {
                if (s > 0) {
                    count += code.equals("500") ? errors : 500 - errors;
                }
                om.append("http_requests_total{").append(labels).append(",code=\"").append(code).append("\"} ")
                        .append(count).append(' ').append(T0 + s).append('\n');
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
