package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An analysis tick records what it measured without the service's lease, in one write under the record's version
 * (issue: 500 rollouts at once): at most 3 API requests a tick, and the failing evaluation and the rollback it triggers
 * under one lock.
 */
class CheapTickTest extends LabTest {

    /** Two gates, both passing, until {@code failAt} ticks have passed; then the first fails. */
    private static final class TwoGates implements Analysis {
        private final int failAt;
        private int ticks;
        private Instant failedAt;

        TwoGates(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public List<Evaluation> tick(Instant now) {
            boolean fail = ++ticks >= failAt;
            if (fail) {
                failedAt = now;
            }
            Verdict first = fail ? Verdict.FAIL : Verdict.PASS;
            return List.of(new Evaluation("errorRate " + first + " at " + now, new GatePoint("errorRate", fail ? 0.06 : 0.001, 0.01,
                    ">", first.name())), new Evaluation("p95Latency PASS at " + now, new GatePoint("p95Latency", 0.2, 1.0, ">", "PASS")));
        }

        @Override
        public Verdict verdict() {
            return failedAt != null ? Verdict.FAIL : Verdict.PASS;
        }

        @Override
        public Optional<Instant> firstFailureAt() {
            return Optional.ofNullable(failedAt);
        }

        @Override
        public Optional<Instant> nextDueAt(Instant now) {
            return Optional.of(now);
        }

        @Override
        public String inconclusiveSummary() {
            return "";
        }

        @Override
        public String failureSummary() {
            return "errorRate FAIL: value 0.06 (fails when > 0.01)";
        }
    }

    @Test
    void aTickCostsAtMostThreeRequestsAndTheFailureRollsBackUnderOneLock() throws Exception {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        engine.deploy(lab.image("2.0.0"));
        engine.shift(lab.target, 50, EngineLab.OWNER);
        String leaseBefore = lease(lab);

        List<String> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        RolloutEngine counted = lab.engineCounting(requests);
        TwoGates gates = new TwoGates(4);
        Instant end = Instant.now().plus(Duration.ofMinutes(5));
        int events = lab.record().getHistory().size();
        for (int tick = 1; tick <= 3; tick++) {
            requests.clear();
            RolloutEngine.VerificationTick t = counted.verifyTick(lab.target, gates, Duration.ofMinutes(5), end, EngineLab.OWNER, true);
            assertNull(t.finished());
            System.out.println("[cheap tick] passing tick " + tick + ": " + requests.size() + " API requests for 2 gate results");
            assertTrue(requests.size() <= 3, requests.size() + " requests");
        }
        assertEquals(events + 6, lab.record().getHistory().size(), "every gate result recorded");
        assertEquals(leaseBefore, lease(lab), "the lease was not taken for them");

        requests.clear();
        RolloutEngine.VerificationTick failed = counted.verifyTick(lab.target, gates, Duration.ofMinutes(5), end, EngineLab.OWNER,
                true);
        System.out.println("[cheap tick] failing tick with its rollback: " + requests.size() + " API requests: " + requests);
        assertEquals(Phase.ROLLED_BACK, failed.finished().record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        List<RolloutEvent> last = lab.record().getHistory();
        assertTrue(last.stream().anyMatch(e -> e.message().startsWith("errorRate FAIL")), "the failing result is recorded");
        // before: the lock taken twice (evaluation, then rollback), the record read three times, one write per gate
        assertEquals(2, requests.stream().filter(r -> r.startsWith("PUT") && r.endsWith("/leases/checkout-bluegreen-lock")).count(),
                "the lease taken once and released once: " + requests);
        assertTrue(requests.size() <= 17, requests.size() + " requests");
    }

    /** A write between the tick's read and its write: the tick appends to the newer record, and nothing is lost. */
    @Test
    void aConflictingWriteIsReadAgainAndKept() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        engine.deploy(lab.image("2.0.0"));
        RecordStore store = new io.jenkins.plugins.bluegreen.kubernetes.ConfigMapRecordStore(lab.mock.client, lab.target);
        RecordStore.Stored stale = store.read().orElseThrow();
        engine.shift(lab.target, 50, EngineLab.OWNER); // a locked operation writes meanwhile

        RolloutRecord after = Session.append(store, stale, lab.target, Clock.systemUTC(), RolloutListener.NONE,
                List.of(new Session.Note("gate", "errorRate PASS", new GatePoint("errorRate", 0.001, 0.01, ">", "PASS"))));

        assertEquals(Phase.SHIFTED, after.getPhase(), "the shift written meanwhile is kept");
        assertEquals(Weights.of(Color.GREEN, 50), after.getWeights());
        assertEquals("errorRate PASS", after.getHistory().get(after.getHistory().size() - 1).message());
        assertEquals(after.getHistory().size(), lab.record().getHistory().size());
    }

    private static String lease(EngineLab lab) {
        List<Lease> leases = lab.mock.client.leases().inNamespace(lab.namespace).list().getItems();
        return leases.isEmpty() ? "none" : leases.get(0).getMetadata().getResourceVersion();
    }
}
