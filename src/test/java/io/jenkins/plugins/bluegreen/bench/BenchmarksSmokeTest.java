package io.jenkins.plugins.bluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark code from rotting: one tiny configuration of (a), (c) and the HTTP client threads, checked for correctness only (the
 * rollbacks and rollouts ended as they should). Times are the benchmarks' business, never asserted here.
 */
class BenchmarksSmokeTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoAutomaticRollbacksAreMeasured() throws Exception {
        RevertLatency.Figures f = RevertLatency.measure(2, 0, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);

        assertEquals(2, f.rollbacks());
        assertEquals(2, f.toStable().size());
        assertTrue(f.toStable().stream().allMatch(ms -> ms >= 0), "the stable colour's write came after the verdict: " + f);
        assertTrue(f.recorded().stream().allMatch(ms -> ms != null && ms >= 0), "the record holds the recovery time: " + f);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiveConcurrentRolloutsPromoteOrRollBackAsTheirGatesSay() throws Exception {
        Concurrency.Options o = new Concurrency.Options(List.of(5), Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 20, true, false,
                Duration.ofMillis(10));
        Concurrency.Figures f;
        try (RecordedPrometheus prometheus = RecordedPrometheus.start()) {
            f = Concurrency.measure(5, o, prometheus);
        }

        assertNull(f.firstFailure());
        assertEquals(1, f.expectedRolledBack(), "one in five candidates reads the failing series");
        assertEquals(4, f.promoted());
        assertEquals(1, f.rolledBack());
        assertTrue(f.allAsExpected());
        assertEquals(2, f.peakThreads().get(ThreadCensus.SCHEDULER), "the rollouts share the scheduler's threads: " + f.peakThreads());
        assertTrue(f.totalEvaluations() >= 5, "every rollout evaluated its gate: " + f.totalEvaluations());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threeExecutionsMakeSixHttpClientsEachWithItsOwnTransportAndOneWhenShared(@TempDir Path dir) throws Exception {
        try (PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus"), List.of(), Duration.ofSeconds(1));
                AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir)) {
            HttpClientThreads.Figures before = HttpClientThreads.measure(3, false, true, prometheus.url(), alertmanager.url());
            HttpClientThreads.Figures after = HttpClientThreads.measure(3, true, true, prometheus.url(), alertmanager.url());

            assertEquals(6, before.httpClients());
            assertEquals(6, before.selectors(), "a selector thread per client: " + before);
            assertEquals(1, after.httpClients());
            assertEquals(1, after.selectors(), "one selector thread for all: " + after);
        }
    }
}
