package io.jenkins.plugins.bluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps benchmark (c) on the steps' path ({@link StepConcurrency}) from rotting, beside {@code BenchmarksSmokeTest}
 * (which cannot name it: it lives in the Central build's own test sources with the step context it needs). Five real
 * step executions, checked for correctness only: they end as scripted, their requests are counted, and their clients
 * close (that no thread is left is {@link StepLeakTest}'s, after a warm-up). Times are never asserted.
 */
class StepPathSmokeTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiveStepsPromoteOrRollBackAsTheirGatesSayAndTheirClientsClose() throws Exception {
        StepConcurrency.Options o = new StepConcurrency.Options(List.of(5), Duration.ofSeconds(4), Duration.ofSeconds(1), 20, false,
                Duration.ofMillis(10), 1, false);
        StepConcurrency.Figures f;
        try (StepGates gates = StepGates.start(5, o.failingEvery())) {
            f = StepConcurrency.measure(5, o, gates);
        }

        assertNull(f.firstFailure());
        assertEquals(1, f.expectedRolledBack(), "one in five candidates reads the failing series");
        assertEquals(4, f.promoted());
        assertEquals(1, f.rolledBack());
        assertTrue(f.allAsExpected());
        assertTrue(f.totalEvaluations() >= 5, "every rollout evaluated its gate: " + f.totalEvaluations());
        assertTrue(f.requests() >= 5 * 10, "the plugin's requests are counted at the API server: " + f.requests());
        assertEquals(StepConcurrency.CLUSTERS, f.clientsAtPeak(), "one client per cluster, not per rollout or namespace");
        assertEquals(0, f.clientsLeft(), "every client closed once idle");
    }
}
