package io.jenkins.plugins.bluegreen.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which alerts fire, asked of both sources a gate can use: a real Prometheus whose alerting rule fires on a metric it
 * scrapes, through its {@code ALERTS} series, and the real Alertmanager it sends the alert to. Started once for the
 * class; the first alert reaches Alertmanager about 5 s after Prometheus starts.
 */
class FiringAlertsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String RULES = "groups:\n"
            + "  - name: checkout\n"
            + "    rules:\n"
            + "      - alert: HighErrorRate\n"
            + "        expr: lab_error_ratio > 0.05\n"
            + "        labels: {severity: critical}\n"
            + "      - alert: NeverFires\n"
            + "        expr: lab_error_ratio > 10\n";

    @TempDir
    static Path dir;

    /** The error ratio the app reports, per service and colour. */
    private static final Map<String, Double> ratios = new ConcurrentHashMap<>();
    private static HttpServer app;
    private static AlertmanagerProcess alertmanager;
    private static PrometheusProcess prometheus;
    private static AlertmanagerClient alertmanagerClient;
    private static PrometheusClient prometheusClient;

    @BeforeAll
    static void start() throws Exception {
        ratios.put("service=\"checkout\",color=\"green\"", 0.08);
        ratios.put("service=\"checkout\",color=\"blue\"", 0.0);
        ratios.put("service=\"cart\",color=\"green\"", 0.2);
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/metrics", exchange -> {
            String body = "# TYPE lab_error_ratio gauge\n" + ratios.entrySet().stream()
                    .map(e -> "lab_error_ratio{" + e.getKey() + "} " + e.getValue() + "\n").collect(Collectors.joining());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        app.start();
        alertmanager = AlertmanagerProcess.start(dir);
        prometheus = PrometheusProcess.builder(dir)
                .scrape(List.of("127.0.0.1:" + app.getAddress().getPort()))
                .scrapeInterval(Duration.ofMillis(500))
                .alertmanager(alertmanager.hostAndPort())
                .rules(RULES)
                .start();
        alertmanagerClient = new AlertmanagerClient(new AlertmanagerEndpoint(alertmanager.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));
        prometheusClient = new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    private static List<FiringAlert> fromPrometheus(String selector) throws Exception {
        return prometheusClient.instantQuery(PrometheusAlerts.firingQuery(AlertMatchers.parse(selector)), Instant.now())
                .stream().map(s -> FiringAlert.ofAlertsSeries(s.labels())).collect(Collectors.toList());
    }

    private static List<FiringAlert> fromAlertmanager(String selector) throws Exception {
        return alertmanagerClient.firingAlerts(AlertMatchers.parse(selector));
    }

    @FunctionalInterface
    private interface Source {
        List<FiringAlert> firing(String selector) throws Exception;
    }

    /** Asks until the answer has {@code count} alerts; the sources converge within seconds, never at once. */
    private static List<FiringAlert> await(Source source, String selector, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<FiringAlert> alerts = source.firing(selector);
        while (alerts.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(200);
            alerts = source.firing(selector);
        }
        assertEquals(count, alerts.size(), selector + ": " + alerts);
        return alerts;
    }

    @Test
    void prometheusAlertsSeriesHasTheFiringAlertsOfTheSelector() throws Exception {
        FiringAlert alert = await(FiringAlertsTest::fromPrometheus, "alertname=\"HighErrorRate\",service=\"checkout\"", 1).get(0);
        assertEquals("HighErrorRate", alert.name());
        assertEquals("green", alert.labels().get("color"));
        assertEquals("critical", alert.labels().get("severity"));
        assertEquals("lab", alert.labels().get("job"), "the rule keeps its series' labels");
        assertNull(alert.activeSince());
        assertEquals(List.of(), fromPrometheus("service=\"checkout\",color=\"blue\""));
        assertEquals(List.of(), fromPrometheus("alertname=\"NeverFires\""));
        assertEquals(List.of("green"), fromPrometheus("severity=\"critical\",service=~\"checkout|payments\"").stream()
                .map(a -> a.labels().get("color")).toList());
    }

    /**
     * The alert Prometheus sends arrives in Alertmanager with the same labels. A silence hides it there; Prometheus'
     * {@code ALERTS} knows nothing of silences.
     */
    @Test
    void alertmanagerHasTheSameAlertAndOnlyThereASilenceHidesIt() throws Exception {
        String selector = "alertname=~\"HighErrorRate|NeverFires\",service=\"checkout\"";
        FiringAlert alert = await(FiringAlertsTest::fromAlertmanager, selector, 1).get(0);
        FiringAlert same = await(FiringAlertsTest::fromPrometheus, selector, 1).get(0);
        assertEquals(same.labels(), alert.labels());
        assertTrue(alert.activeSince().isBefore(Instant.now()));

        Instant now = Instant.now();
        String silence = alertmanagerClient.createSilence(SilenceRequest.byJenkins(
                AlertMatchers.parse("alertname=\"HighErrorRate\",service=\"checkout\",color=\"green\""), now, now.plusSeconds(300),
                "acknowledged: rolled back shop/checkout"));
        try {
            assertEquals(List.of(), fromAlertmanager(selector));
            assertEquals(1, fromPrometheus(selector).size());
        } finally {
            alertmanagerClient.expireSilence(silence);
        }
        assertEquals(1, fromAlertmanager(selector).size());
    }

    /** Once the metric is back under the threshold, both sources answer: nothing fires. */
    @Test
    void aResolvedAlertLeavesBothSources() throws Exception {
        String selector = "alertname=\"HighErrorRate\",service=\"cart\"";
        await(FiringAlertsTest::fromAlertmanager, selector, 1);
        ratios.put("service=\"cart\",color=\"green\"", 0.0);
        await(FiringAlertsTest::fromPrometheus, selector, 0);
        await(FiringAlertsTest::fromAlertmanager, selector, 0);
    }
}
