package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.metrics.DatabasePreflight;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PostgresExporterProcess;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second guide's incident, stopped by the engine: real PostgreSQL with max_connections=100 (3 reserved), its
 * exporter and Prometheus; eight blue pods with pools of 15 live, and eight green pods about to join.
 */
class DatabasePreflightTest extends LabTest {

    static Path work;
    static PostgresProcess postgres;
    static PostgresExporterProcess exporter;
    static PrometheusProcess prometheus;
    static PrometheusClient client;

    @BeforeAll
    static void startTheDatabaseChain() throws Exception {
        work = Files.createTempDirectory("bg-preflight-");
        postgres = PostgresProcess.start(100, 3);
        exporter = PostgresExporterProcess.start(postgres, work);
        prometheus = PrometheusProcess.start(work.resolve("prometheus"), List.of(exporter.target()), Duration.ofSeconds(1));
        client = new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, Duration.ofSeconds(5)), HttpTransport.of(HttpClient.newBuilder()));
        Instant deadline = Instant.now().plusSeconds(20); // Prometheus scrapes first ~5 s after it starts
        while (client.instantQuery("max(pg_settings_max_connections)", Instant.now()).isEmpty()) {
            assertTrue(Instant.now().isBefore(deadline), "Prometheus never scraped postgres_exporter");
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopTheDatabaseChain() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter, postgres}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    /** Blue live with eight replicas; green about to be deployed with as many. */
    private DeploySpec greenWithPools(EngineLab lab, int poolSize) {
        lab.engine().deploy(new DeploySpec(lab.target, new CandidateSource.Manifest(EngineLab.manifestText("1.0.0")),
                lab.router, 8, Duration.ofSeconds(10), EngineLab.OWNER));
        return new DeploySpec(lab.target, new CandidateSource.NewImage("registry.example.com/shop/checkout:2.0.0", null),
                lab.router, null, Duration.ofSeconds(10), EngineLab.OWNER,
                List.of(new DatabasePreflight(client, Map.of(), poolSize, 10, Clock.systemUTC())));
    }

    @Test
    void poolsThatWouldExhaustMaxConnectionsStopTheRolloutWithTheNumbers() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        DeploySpec tooBig = greenWithPools(lab, 15);
        Map<String, String> before = lab.snapshot();
        RolloutException e = assertThrows(RolloutException.class, () -> lab.engine().deploy(tooBig));
        assertEquals(RolloutException.Kind.PRE_FLIGHT, e.kind());
        assertTrue(e.getMessage().startsWith("database connections would not fit: blue 8×15 + green 8×15 = 240 > 100 − 3 reserved − 10 headroom = 87"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the largest per-pod pool size that fits is 5"), e.getMessage());
        assertEquals(before, lab.snapshot(), "nothing changed in the cluster");
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void resizedPoolsPassAndThePreflightIsRecorded() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutRecord r = lab.engine().deploy(greenWithPools(lab, 5)).record();
        assertEquals(Phase.READY, r.getPhase());
        assertTrue(r.getHistory().stream().anyMatch(ev -> ev.type().equals("preflight")
                && ev.message().startsWith("database connections fit: blue 8×5 + green 8×5 = 80")), r.getHistory().toString());
    }

    @Test
    void withoutDatabaseMetricsTheRolloutDoesNotStart() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        DeploySpec spec = new DeploySpec(lab.target, new CandidateSource.NewImage("registry.example.com/shop/checkout:2.0.0", null),
                lab.router, null, Duration.ofSeconds(10), EngineLab.OWNER,
                List.of(new DatabasePreflight(client, Map.of("server", "elsewhere:5432"), 5, 10, Clock.systemUTC())));
        RolloutException e = assertThrows(RolloutException.class, () -> lab.engine().deploy(spec));
        assertEquals(RolloutException.Kind.PRE_FLIGHT, e.kind());
        assertTrue(e.getMessage().startsWith("the database connection pre-flight could not run (NO_DATA)"), e.getMessage());
        assertFalse(lab.record().getPhase() == Phase.DEPLOYING);
    }
}
