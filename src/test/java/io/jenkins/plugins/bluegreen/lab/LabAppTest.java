package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One lab app against a real PostgreSQL, without Prometheus: what it exposes and what its fault switches do. */
class LabAppTest {

    static PostgresProcess postgres;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresProcess.start(40, 3);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static LabApp app() {
        return LabApp.start("shop", "checkout", Color.GREEN, postgres.jdbcUrl(), PostgresProcess.USER, 3, 0);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The client backends PostgreSQL counts, polled until they equal {@code expected} (or two readings agree, for
     * -1) or 5 s have passed: a backend exits a moment after its client closes.
     */
    private static int backendsWhenSettled(int expected) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int last = postgres.clientBackends();
        while (System.nanoTime() < end) {
            Thread.sleep(50);
            int now = postgres.clientBackends();
            if (expected < 0 ? now == last : now == expected) {
                return now;
            }
            last = now;
        }
        return last;
    }

    @Test
    void exposesTheGateTemplatesLabelContractThroughTheClientLibrary() throws Exception {
        try (LabApp app = app()) {
            assertEquals(200, get(app.url()).statusCode());
            String metrics = get(URI.create("http://" + app.metricsTarget() + "/metrics")).body();
            String labels = "code=\"200\",color=\"green\",namespace=\"shop\",service=\"checkout\"";
            assertTrue(metrics.contains("http_requests_total{" + labels + "} 1.0"), metrics);
            assertTrue(metrics.contains("http_requests_total{code=\"500\",color=\"green\",namespace=\"shop\",service=\"checkout\"} 0.0"),
                    "the error series exists before the first error: " + metrics);
            for (String le : new String[] {"0.1", "0.25", "0.5", "1.0", "2.5", "+Inf"}) {
                assertTrue(metrics.contains("http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"}"),
                        "bucket " + le + ": " + metrics);
            }
            assertTrue(metrics.contains("http_request_duration_seconds_count{" + labels + "} 1"), metrics);
        }
    }

    @Test
    void faultSwitchesChangeWhatTheAppDoes() throws Exception {
        try (LabApp app = app()) {
            app.setErrorRate(0.06);
            int errors = 0;
            for (int i = 0; i < 100; i++) {
                if (get(app.url()).statusCode() == 500) {
                    errors++;
                }
            }
            assertEquals(6, errors, "exactly the configured share of requests fails");

            app.heal();
            app.setAddedLatency(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertEquals(200, get(app.url()).statusCode());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "the answer is late");

            int before = backendsWhenSettled(-1);
            app.holdConnections(10);
            assertEquals(before + 10, backendsWhenSettled(before + 10), "held connections are real backends");
            app.holdConnections(0);
            assertEquals(before, backendsWhenSettled(before), "released again");
        }
    }

    @Test
    void answersTheExamplesSmokeTestPathsAndKeepsTheFaultsOnTheWork() throws Exception {
        try (LabApp app = app()) {
            app.setVersion("1.4.7-faulty");
            app.setErrorRate(1.0);
            app.setAddedLatency(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertEquals("ok", get(app.url().resolve("/healthz")).body());
            assertEquals("version=1.4.7-faulty color=green\n", get(app.url().resolve("/status")).body());
            HttpResponse<String> health = get(app.url().resolve("/health"));
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"database\":\"UP\""), health.body());
            assertEquals(401, get(app.url().resolve("/api/cart")).statusCode());
            assertTrue(System.nanoTime() - start < Duration.ofMillis(300).toNanos(), "probes and status are not slowed down");

            assertEquals(500, get(app.url().resolve("/recommendations?userId=smoke-test")).statusCode(), "the work fails");
            assertEquals(500, get(app.url()).statusCode());
            app.heal();
            assertTrue(get(app.url().resolve("/recommendations")).body().contains("\"items\""));
            assertEquals(404, get(app.url().resolve("/nothing")).statusCode());
            String metrics = get(URI.create("http://" + app.metricsTarget() + "/metrics")).body();
            assertFalse(metrics.contains("http_requests_total{code=\"404\""), "unknown paths are not counted: " + metrics);
            assertTrue(metrics.contains("http_requests_total{code=\"401\",color=\"green\",namespace=\"shop\",service=\"checkout\"} 1.0"),
                    metrics);
        }
    }
}
