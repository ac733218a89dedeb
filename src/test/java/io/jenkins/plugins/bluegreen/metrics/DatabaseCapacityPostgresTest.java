package io.jenkins.plugins.bluegreen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Demand;
import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Observation;
import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Result;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PostgresExporterProcess;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pre-flight against the real chain: PostgreSQL (max_connections=100, 3 reserved, as in the incident),
 * postgres_exporter, and Prometheus scraping it every second. Started once for the class; the test that
 * stops the exporter runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseCapacityPostgresTest {

    /** Prometheus scrapes for the first time about 5 s after it starts, whatever the interval. */
    private static final Duration FIRST_SCRAPE = Duration.ofSeconds(15);
    /** A change in PostgreSQL shows after the exporter's next scrape: 1 s interval, a little slack. */
    private static final Duration NEXT_SCRAPES = Duration.ofSeconds(10);

    private static Path work;
    private static PostgresProcess postgres;
    private static PostgresExporterProcess exporter;
    private static PrometheusProcess prometheus;
    private static PrometheusClient client;

    @BeforeAll
    static void startTheChain() throws Exception {
        work = Files.createTempDirectory("bg-dbcap-");
        postgres = PostgresProcess.start(100, 3);
        exporter = PostgresExporterProcess.start(postgres, work);
        prometheus = PrometheusProcess.start(work.resolve("prometheus"), List.of(exporter.target()), Duration.ofSeconds(1));
        client = new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));
        awaitObservation(o -> true, FIRST_SCRAPE);
    }

    @AfterAll
    static void stopTheChain() throws IOException {
        try (PostgresProcess pg = postgres; PostgresExporterProcess ex = exporter) {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void theIncidentIsRefusedWithTheNumbers() throws Exception {
        Result r = DatabaseCapacity.check(client, Instant.now(), Map.of(), Demand.of("blue", 8, "green", 8, 15));
        assertFalse(r.fits());
        assertEquals(100, r.observation().maxConnections());
        assertEquals(3, r.observation().reservedConnections());
        assertEquals("blue 8×15 + green 8×15 = 240 > 100 − 3 reserved − 10 headroom = 87;"
                + " the largest per-pod pool size that fits is 5", r.message());
    }

    @Test
    @Order(2)
    void resizedPoolsPass() throws Exception {
        Result r = DatabaseCapacity.check(client, Instant.now(), Map.of(), Demand.of("blue", 8, "green", 8, 5));
        assertTrue(r.fits(), r.message());
        assertEquals("blue 8×5 + green 8×5 = 80 ≤ 100 − 3 reserved − 10 headroom = 87", r.message());
    }

    @Test
    @Order(3)
    void labelMatchersSelectTheServer() throws Exception {
        Map<String, String> mine = Map.of("server", postgres.host() + ":" + postgres.port(), "instance", exporter.target());
        assertTrue(DatabaseCapacity.check(client, Instant.now(), mine, Demand.of("blue", 8, "green", 8, 5)).fits());
        DatabaseCapacityException e = checkFails(Map.of("server", "elsewhere:5432"));
        assertEquals(DatabaseCapacityException.Reason.NO_DATA, e.reason(), e.getMessage());
    }

    @Test
    @Order(4)
    void connectionsHeldByOthersAreCounted() throws Exception {
        Demand demand = Demand.of("blue", 1, "green", 7, 10); // 80 of 87 usable: fits while others hold < 8
        long before = awaitObservation(o -> true, NEXT_SCRAPES).currentBackends();
        assertTrue(DatabaseCapacity.check(client, Instant.now(), Map.of(), demand).fits());

        try (PostgresProcess.HeldConnections held = postgres.holdConnections(20)) {
            Observation o = awaitObservation(x -> x.currentBackends() >= before + 20, NEXT_SCRAPES);
            Result r = DatabaseCapacity.evaluate(demand, o);
            assertFalse(r.fits(), r.message());
            long others = o.currentBackends() - 10; // beyond what blue's one pod of 10 could hold
            assertEquals(others, r.otherConnections());
            assertEquals("blue 1×10 + green 7×10 + " + others + " other connections = " + (80 + others)
                    + " > 100 − 3 reserved − 10 headroom = 87; the largest per-pod pool size that fits is "
                    + (87 - others) / 8, r.message());
        }
        awaitObservation(o -> o.currentBackends() <= before, NEXT_SCRAPES);
        assertTrue(DatabaseCapacity.check(client, Instant.now(), Map.of(), demand).fits());
    }

    @Test
    @Order(5)
    void aStoppedExporterIsAnErrorNeverAPass() throws Exception {
        exporter.close();
        long deadline = System.nanoTime() + NEXT_SCRAPES.toNanos();
        while (true) {
            try {
                // until Prometheus's next failed scrape marks the series stale, the last values still stand
                DatabaseCapacity.check(client, Instant.now(), Map.of(), Demand.of("blue", 8, "green", 8, 5));
            } catch (DatabaseCapacityException e) {
                assertEquals(DatabaseCapacityException.Reason.NO_DATA, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("postgres_exporter is not running or not scraped"), e.getMessage());
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the pre-flight still reads metrics " + NEXT_SCRAPES.toSeconds() + " s after the exporter stopped");
            }
            Thread.sleep(200);
        }
    }

    private static DatabaseCapacityException checkFails(Map<String, String> matchers) throws InterruptedException {
        try {
            Result r = DatabaseCapacity.check(client, Instant.now(), matchers, Demand.of("blue", 1, "green", 1, 1));
            throw new AssertionError("expected an error, got " + r.message());
        } catch (DatabaseCapacityException e) {
            return e;
        }
    }

    /** Polls Prometheus until an observation satisfies {@code until}, instead of sleeping blindly. */
    private static Observation awaitObservation(Predicate<Observation> until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            try {
                Observation o = DatabaseCapacity.observe(DatabaseCapacity.instantQuery(client, Instant.now()), Map.of());
                if (until.test(o)) {
                    return o;
                }
                last = o.toString();
            } catch (DatabaseCapacityException e) {
                last = e.getMessage();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not show the expected database numbers within "
                + timeout.toSeconds() + " s; last: " + last);
    }
}
