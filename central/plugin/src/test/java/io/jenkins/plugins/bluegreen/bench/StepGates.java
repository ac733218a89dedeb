package io.jenkins.plugins.bluegreen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.steps.MetricGate;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * TEST CODE: what the gates of the steps' path read. The steps query Prometheus at the real "now" through the client
 * they build themselves, so the recorded series of the engine path ({@link RecordedPrometheus}, queried at an offset)
 * cannot serve them; instead a metrics endpoint exposes {@code bench_error_ratio{namespace}} for every benchmark
 * namespace ({@code bench-N}: 0.002, or 0.06 for the candidates scripted to fail), and a real Prometheus scrapes it
 * every second.
 */
final class StepGates implements AutoCloseable {

    static final double HEALTHY = 0.002;
    static final double FAILING = 0.06;

    private final HttpServer server;
    private final PrometheusProcess prometheus;
    private final Path dir;
    private final int namespaces;
    private final int failingEvery;

    /** Series for {@code bench-0} to {@code bench-(namespaces-1)}; every {@code failingEvery}-th one (0: none) fails. */
    private StepGates(int namespaces, int failingEvery) throws IOException {
        this.namespaces = namespaces;
        this.failingEvery = failingEvery;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        dir = Files.createTempDirectory("bg-bench-step-gates-");
        prometheus = PrometheusProcess.builder(dir).scrape(List.of("127.0.0.1:" + server.getAddress().getPort()))
                .scrapeInterval(Duration.ofSeconds(1)).start();
    }

    /** Started, and every series scraped once. */
    static StepGates start(int namespaces, int failingEvery) throws Exception {
        StepGates g = new StepGates(namespaces, failingEvery);
        try {
            g.awaitScraped();
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    static boolean fails(int index, int failingEvery) {
        return failingEvery > 0 && index % failingEvery == 0;
    }

    private String exposition() {
        StringBuilder b = new StringBuilder("# TYPE bench_error_ratio gauge\n");
        for (int i = 0; i < namespaces; i++) {
            b.append("bench_error_ratio{namespace=\"bench-").append(i).append("\"} ")
                    .append(fails(i, failingEvery) ? FAILING : HEALTHY).append('\n');
        }
        return b.toString();
    }

    /** Asks Prometheus' HTTP API directly: the benchmark's own check, not through the plugin's client. */
    private void awaitScraped() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest count = HttpRequest.newBuilder(URI.create(url().replaceAll("/$", "") + "/api/v1/query?query="
                + URLEncoder.encode("count(bench_error_ratio)", StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            JsonNode result = json.readTree(http.send(count, HttpResponse.BodyHandlers.ofString()).body()).path("data").path("result");
            if (result.size() == 1 && result.get(0).path("value").path(1).asText().equals(String.valueOf(namespaces))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus did not scrape the " + namespaces + " gate series within 60 s");
    }

    /** A custom gate on the namespace's series: fails above 1 % at once, evaluated every {@code interval}. */
    static MetricGate gate(Duration interval) {
        MetricGate g = new MetricGate("errors");
        g.setQuery("max(bench_error_ratio{namespace=\"${namespace}\"})");
        g.setThreshold(0.01);
        g.setSustain("0s");
        g.setInterval(String.format(Locale.ROOT, "%dms", interval.toMillis()));
        return g;
    }

    String url() {
        return prometheus.url().toString();
    }

    long pid() {
        return prometheus.pid();
    }

    @Override
    public void close() {
        prometheus.close();
        server.stop(0);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
