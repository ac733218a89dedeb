package io.jenkins.plugins.bluegreen.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertmanagerProcessTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void servesApiV2WithoutClusteringAndLeavesNothingBehind() throws Exception {
        AlertmanagerProcess a = AlertmanagerProcess.start(dir);
        AlertmanagerProcess b = AlertmanagerProcess.start(dir);
        try {
            assertTrue(a.url().toString().matches("http://127\\.0\\.0\\.1:\\d+"), a.url().toString());
            assertNotEquals(a.url(), b.url(), "each binds its own port");
            assertNotEquals(a.dir(), b.dir(), "each has its own dir");
            String status = get(a.url().resolve("/api/v2/status"));
            assertTrue(status.contains("\"version\":\"0.25"), status);
            assertTrue(status.contains("\"status\":\"disabled\""), "no cluster: " + status);
            assertFalse(Files.readString(a.log()).contains("9094"), "no gossip port");

            a.fire(Map.of("alertname", "LabAlert", "service", "checkout"), Duration.ofMinutes(5));
            String alerts = get(a.url().resolve("/api/v2/alerts"));
            assertTrue(alerts.contains("\"alertname\":\"LabAlert\""), alerts);
            assertEquals("[]", get(b.url().resolve("/api/v2/alerts")).strip(), "the two share nothing");
        } finally {
            a.close();
            b.close();
        }
        for (AlertmanagerProcess am : new AlertmanagerProcess[] {a, b}) {
            assertFalse(am.isAlive());
            assertFalse(ProcessHandle.of(am.pid()).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(Files.exists(am.dir()), am.dir() + " is deleted");
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "nothing left in " + dir);
        }
        a.close(); // idempotent
    }

    /**
     * Prometheus evaluates a rule file every second and sends what fires to the Alertmanager it is given. The alert
     * arrives about 5 s after Prometheus starts: it discovers its Alertmanagers only then, and resends every second.
     */
    @Test
    void prometheusSendsTheAlertsOfItsRulesToAlertmanager() throws Exception {
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir);
                PrometheusProcess prometheus = PrometheusProcess.builder(dir)
                        .evaluationInterval(Duration.ofMillis(500))
                        .alertmanager(alertmanager.hostAndPort())
                        .rules("groups:\n"
                                + "  - name: lab\n"
                                + "    rules:\n"
                                + "      - alert: AlwaysFiring\n"
                                + "        expr: vector(1)\n"
                                + "        labels: {service: checkout, severity: critical}\n")
                        .start()) {
            String config = get(prometheus.url().resolve("/api/v1/status/config"));
            assertTrue(config.contains("evaluation_interval: 500ms"), config);
            String alerts = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!alerts.contains("AlwaysFiring") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                alerts = get(alertmanager.url().resolve("/api/v2/alerts"));
            }
            assertTrue(alerts.contains("\"alertname\":\"AlwaysFiring\""), alerts);
            assertTrue(alerts.contains("\"severity\":\"critical\""), alerts);
            assertTrue(alerts.contains("\"generatorURL\":\"" + "http://"), "sent by Prometheus: " + alerts);
        }
    }

    @Test
    void aMissingBinaryNamesTheDebianPackage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AlertmanagerProcess.requireBinary(Path.of("/nonexistent/prometheus-alertmanager")));
        assertEquals("/nonexistent/prometheus-alertmanager not found: install the Debian package 'prometheus-alertmanager' "
                + "(apt-get install --no-install-recommends prometheus-alertmanager)", e.getMessage());
    }
}
