package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.kubernetes.SimulatedControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole rollouts on the mock API server with the simulated control plane, through each traffic router. */
class RolloutEngineTest extends LabTest {

    private static List<Integer> steps(RouterSpec.Kind kind) {
        return kind == RouterSpec.Kind.SERVICE_SELECTOR ? List.of(100) : List.of(5, 50, 100);
    }

    @ParameterizedTest
    @EnumSource(RouterSpec.Kind.class)
    void blueToGreenAndBackThroughEachRouter(RouterSpec.Kind kind) {
        EngineLab lab = lab(kind);
        RolloutEngine engine = lab.engine();

        RolloutRecord first = engine.deploy(lab.manifest("1.0.0")).record();
        assertEquals(Phase.STABLE, first.getPhase());
        assertEquals(Color.BLUE, first.stableColor());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertTrue(first.getHistory().get(first.getHistory().size() - 1).message().contains("no earlier version"));

        rollOut(lab, engine, kind, lab.image("2.0.0"), Color.GREEN);
        assertEquals("registry.example.com/shop/checkout:2.0.0", lab.image(Color.GREEN));

        rollOut(lab, engine, kind, lab.manifest("3.0.0"), Color.BLUE);
        assertEquals("registry.example.com/shop/checkout:3.0.0", lab.image(Color.BLUE));
        assertEquals(3, lab.replicas(Color.BLUE), "the manifest's replicas");
        assertEquals(0, lab.replicas(Color.GREEN));
    }

    /** Deploy, shift in steps, promote, refuse an early decommission, decommission after the bake. */
    private static void rollOut(EngineLab lab, RolloutEngine engine, RouterSpec.Kind kind, DeploySpec spec, Color candidate) {
        Color stable = candidate.other();
        RolloutRecord r = engine.deploy(spec).record();
        assertEquals(Phase.READY, r.getPhase());
        assertEquals(candidate, r.candidateColor());
        assertEquals(Weights.all(stable), lab.liveWeights(), "no traffic before the shift");

        for (int percent : steps(kind)) {
            r = engine.shift(lab.target, percent, EngineLab.OWNER).record();
            assertEquals(Phase.SHIFTED, r.getPhase());
            assertEquals(Weights.of(candidate, percent), r.getWeights());
            assertEquals(Weights.of(candidate, percent), lab.liveWeights(), "read from the router object");
        }
        r = engine.promote(lab.target, EngineLab.OWNER).record();
        assertEquals(Phase.PROMOTED, r.getPhase());
        assertTrue(lab.replicas(stable) > 0, "the old colour stays up during the bake");

        RolloutException early = assertThrows(RolloutException.class,
                () -> engine.decommission(lab.target, Duration.ofHours(1), EngineLab.OWNER));
        assertEquals(RolloutException.Kind.WRONG_PHASE, early.kind());
        assertTrue(early.getMessage().startsWith("the bake time of 60 min 0 s has not passed: 60 min 0 s left"), early.getMessage());

        lab.clock.advance(Duration.ofMinutes(61));
        r = engine.decommission(lab.target, Duration.ofHours(1), EngineLab.OWNER).record();
        assertEquals(Phase.STABLE, r.getPhase());
        assertEquals(candidate, r.stableColor());
        assertNull(r.getCandidate());
        assertEquals(0, lab.replicas(stable));
        assertEquals(Weights.all(candidate), lab.liveWeights());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"READY", "SHIFTED", "PROMOTED"})
    void rollbackFromAnotherEngineAtEachPhase(Phase phase) {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine deployer = lab.engine();
        deployer.deploy(lab.manifest("1.0.0"));
        deployer.deploy(lab.image("2.0.0"));
        if (phase != Phase.READY) {
            deployer.shift(lab.target, 50, EngineLab.OWNER);
        }
        if (phase == Phase.PROMOTED) {
            deployer.promote(lab.target, EngineLab.OWNER);
        }
        assertEquals(phase, lab.record().getPhase());

        // Another engine, another client, another owner: all it knows comes from the cluster.
        Instant detected = lab.clock.instant().minusSeconds(5);
        RolloutEngine.Outcome o = lab.engine().rollback(lab.target, "gate error-rate breached", detected,
                "https://jenkins.example.com/job/ops-rollback/9/");
        assertTrue(o.changed());
        RolloutRecord r = o.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(3, lab.replicas(Color.BLUE));
        assertEquals("gate error-rate breached", r.getRollback().reason());
        assertEquals(5000L, r.getRollback().recoveryMillis(), "from detection to the stable colour serving, on the test clock");
        assertNotNull(r.getRollback().completedAt());

        RolloutEngine.Outcome again = lab.engine().rollback(lab.target, "again", null, EngineLab.OWNER);
        assertFalse(again.changed());
        assertTrue(again.message().startsWith("nothing to roll back"), again.message());
    }

    @Test
    void rollbackWithNothingInProgressChangesNothing() {
        EngineLab lab = lab(RouterSpec.Kind.SERVICE_SELECTOR);
        RolloutEngine.Outcome none = lab.engine().rollback(lab.target, null, null, EngineLab.OWNER);
        assertFalse(none.changed());
        assertNull(none.record());
        lab.engine().deploy(lab.manifest("1.0.0"));
        var before = lab.snapshot();
        RolloutEngine.Outcome o = lab.engine().rollback(lab.target, null, null, EngineLab.OWNER);
        assertFalse(o.changed());
        assertEquals("nothing to roll back: " + lab.target + " is STABLE, blue serves all traffic", o.message());
        assertEquals(before, lab.snapshot());
    }

    @Test
    void aCandidateThatCannotBeScheduledIsScaledDownAndTheErrorSaysWhy() {
        EngineLab lab = lab(RouterSpec.Kind.GATEWAY_HTTP_ROUTE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        lab.controlPlane.behave("registry.example.com/shop/checkout:2.0.0", SimulatedControlPlane.unschedulableInsufficientCpu());
        RolloutException e = assertThrows(RolloutException.class, () -> engine.deploy(lab.image("2.0.0")));
        assertEquals(RolloutException.Kind.READINESS, e.kind());
        assertTrue(e.getMessage().contains("Insufficient cpu"), e.getMessage());
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertTrue(r.getRollback().reason().contains("Insufficient cpu"));
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());

        // The service is not stuck: the next version deploys.
        lab.controlPlane.behave("registry.example.com/shop/checkout:2.0.1", new SimulatedControlPlane.Ready(Duration.ofMillis(5)));
        assertEquals(Phase.READY, engine.deploy(lab.image("2.0.1")).record().getPhase());
    }

    @Test
    void aDeployInTwoHalvesChecksReadinessWithoutWaitingAndFailsOnlyAtTheDeadline() throws Exception {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        lab.controlPlane.behave("registry.example.com/shop/checkout:2.0.0", new SimulatedControlPlane.Ready(Duration.ofMillis(400)));

        assertEquals(Phase.DEPLOYING, engine.beginDeploy(lab.image("2.0.0")).record().getPhase());
        Instant deadline = lab.clock.instant().plusSeconds(30);
        long started = System.nanoTime();
        assertTrue(engine.checkDeploy(lab.target, EngineLab.OWNER, deadline, Duration.ofSeconds(30)).isEmpty(), "not ready yet");
        assertTrue(System.nanoTime() - started < 300_000_000L, "the check does not wait for readiness");
        assertEquals(Phase.DEPLOYING, lab.record().getPhase());
        RolloutEngine.Outcome ready = null;
        while (ready == null) {
            Thread.sleep(50);
            ready = engine.checkDeploy(lab.target, EngineLab.OWNER, deadline, Duration.ofSeconds(30)).orElse(null);
        }
        assertEquals(Phase.READY, ready.record().getPhase());
        assertFalse(engine.checkDeploy(lab.target, EngineLab.OWNER, deadline, Duration.ofSeconds(30)).orElseThrow().changed(),
                "a finished deploy is reported as it is");
        assertThrows(RolloutException.class, () -> engine.checkDeploy(lab.target, "someone-else", deadline, Duration.ofSeconds(30)),
                "another owner's deploy is not this one");

        // Not ready at the deadline: scaled to zero, rolled back, and the error says why.
        lab.controlPlane.behave("registry.example.com/shop/checkout:2.0.1", SimulatedControlPlane.imagePullBackOff());
        engine.beginDeploy(lab.image("2.0.1"));
        assertTrue(engine.checkDeploy(lab.target, EngineLab.OWNER, lab.clock.instant().plusSeconds(30), Duration.ofSeconds(30)).isEmpty());
        RolloutException e = assertThrows(RolloutException.class,
                () -> engine.checkDeploy(lab.target, EngineLab.OWNER, lab.clock.instant(), Duration.ofSeconds(30)));
        assertEquals(RolloutException.Kind.READINESS, e.kind());
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void anImagePullErrorIsNamed() {
        EngineLab lab = lab(RouterSpec.Kind.SERVICE_SELECTOR);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        lab.controlPlane.behave("registry.example.com/shop/checkout:2.0.0", SimulatedControlPlane.imagePullBackOff());
        RolloutException e = assertThrows(RolloutException.class, () -> engine.deploy(lab.image("2.0.0")));
        assertEquals(RolloutException.Kind.READINESS, e.kind());
        assertTrue(e.getMessage().contains("registry.example.com/shop/checkout:2.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("ImagePullBackOff") || e.getMessage().contains("ErrImagePull"), e.getMessage());
    }

    @Test
    void aSecondEngineIsRefusedWhileTheFirstHoldsTheLease() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        lab.engine().deploy(lab.image("2.0.0"));
        Cluster first = new io.jenkins.plugins.bluegreen.kubernetes.FabricCluster(mock.client, lab.clock, Duration.ofSeconds(30));
        try (ServiceLock.Held held = first.lock(lab.target).acquire("https://jenkins.example.com/job/checkout/1/", Duration.ZERO)) {
            RolloutException e = assertThrows(RolloutException.class,
                    () -> lab.engine().shift(lab.target, 5, "https://jenkins.example.com/job/checkout/2/"));
            assertEquals(RolloutException.Kind.LOCKED, e.kind());
            assertTrue(e.getMessage().contains("locked by https://jenkins.example.com/job/checkout/1/"), e.getMessage());
        }
        assertEquals(Weights.of(Color.GREEN, 5),
                lab.engine().shift(lab.target, 5, "https://jenkins.example.com/job/checkout/2/").record().getWeights());
    }

    /** Waits for the simulated kubelet to report {@code ready} ready replicas (it works asynchronously). */
    private static void awaitReady(EngineLab lab, Color color, int ready) {
        Workloads workloads = new io.jenkins.plugins.bluegreen.kubernetes.KubernetesWorkloads(lab.mock.client, lab.namespace, EngineLab.SERVICE);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (workloads.find(color).orElseThrow().ready() != ready) {
            assertTrue(System.nanoTime() < deadline, color + " never reached " + ready + " ready replicas");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theCapacityGuardRefusesMoreTrafficThanReadyReplicasCarry() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        engine.deploy(lab.manifest("2.0.0"));
        // One of green's three pods stops being ready after the deploy.
        lab.controlPlane.behave(EngineLab.SERVICE + "-green", new SimulatedControlPlane.PartlyReady(1));
        awaitReady(lab, Color.GREEN, 1);
        engine.shift(lab.target, 5, EngineLab.OWNER);
        RolloutException e = assertThrows(RolloutException.class, () -> engine.shift(lab.target, 50, EngineLab.OWNER));
        assertEquals(RolloutException.Kind.TRAFFIC, e.kind());
        assertTrue(e.getMessage().startsWith("green has 1 of 3 replicas ready and can carry at most 33 % of the traffic"), e.getMessage());
        assertEquals(Weights.of(Color.GREEN, 5), lab.liveWeights());
    }
}
