package io.jenkins.plugins.bluegreen.steps;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TEST CODE: gates on live data. A metrics endpoint exposes {@code lab_errors{namespace, service, color}} gauges the
 * test sets, and a real Prometheus scrapes it every second, so a step's analysis (which runs on real time) sees a
 * value change within about two seconds. {@link #gate()} is a custom gate on it that fails above 0.5 at once.
 */
final class LiveGates implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private HttpServer server;
    private PrometheusProcess prometheus;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            StringBuilder body = new StringBuilder("# TYPE lab_errors gauge\n");
            values.forEach((labels, v) -> body.append("lab_errors{").append(labels).append("} ").append(v).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        dir = Files.createTempDirectory("bluegreen-live-gates-");
        // an alerting rule on the same gauge, for alert gates: ALERTS{alertname="LabErrors",...} while a colour's errors exceed 0.5
        prometheus = PrometheusProcess.builder(dir).scrape(List.of("127.0.0.1:" + server.getAddress().getPort()))
                .scrapeInterval(Duration.ofSeconds(1)).rules("groups:\n  - name: lab\n    rules:\n      - alert: LabErrors\n"
                        + "        expr: lab_errors > 0.5\n        labels: {severity: critical}\n").start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /** Sets the error gauge of one colour of a service. */
    void set(String namespace, String service, String color, double value) {
        values.put("namespace=\"" + namespace + "\",service=\"" + service + "\",color=\"" + color + "\"", value);
    }

    /** Waits until Prometheus has scraped {@code value} for the colour, so that the next evaluation sees it. */
    void awaitScraped(String namespace, String service, String color, double value) throws Exception {
        String q = "lab_errors{namespace=\"" + namespace + "\",service=\"" + service + "\",color=\"" + color + "\"}";
        PrometheusClient client = client();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var samples = client.instantQuery(q, Instant.now());
            if (!samples.isEmpty() && samples.get(0).value() == value) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not scrape " + q + " = " + value + " within 30 s");
    }

    String url() {
        return prometheus.url().toString();
    }

    PrometheusClient client() {
        return new PrometheusClient(PrometheusEndpoint.of(url(), null, Duration.ofSeconds(5)), HttpTransport.of(HttpClient.newBuilder()));
    }

    /** A gate on the gauge: fails as soon as the colour's errors exceed 0.5; evaluated every second. */
    static MetricGate gate() {
        MetricGate g = new MetricGate("errors");
        g.setQuery("max(lab_errors{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"})");
        g.setThreshold(0.5);
        g.setSustain("0s");
        g.setInterval("1s");
        return g;
    }
}
