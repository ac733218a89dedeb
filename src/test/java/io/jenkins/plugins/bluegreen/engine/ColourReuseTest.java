package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A colour is deployed, decommissioned and deployed again in the same namespace, several times over. Each round makes
 * the simulated control plane write the Deployments' status many times (scale up, ready, scale down); the status must
 * stay what one controller write makes it, and the next deploy into that colour must not meet a Deployment that
 * never stops changing (HTTP 409 on every attempt).
 */
class ColourReuseTest extends LabTest {

    private static final int ROUNDS = 3;
    private static final Duration SIMULATION_TIME = Duration.ofMillis(700);

    @Test
    void aDecommissionedColourCanBeDeployedAgainAndItsStatusStaysBounded() throws Exception {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        assertEquals(Phase.STABLE, engine.deploy(lab.manifest("1.0.0")).record().getPhase());

        Color candidate = Color.GREEN;
        for (int round = 1; round <= ROUNDS; round++) {
            RolloutRecord r = engine.deploy(lab.image("2.0." + round)).record();
            assertEquals(Phase.READY, r.getPhase(), "round " + round);
            assertEquals(candidate, r.candidateColor(), "round " + round);
            engine.shift(lab.target, 50, EngineLab.OWNER);
            engine.shift(lab.target, 100, EngineLab.OWNER);
            engine.promote(lab.target, EngineLab.OWNER);
            lab.clock.advance(Duration.ofMinutes(2));
            r = engine.decommission(lab.target, Duration.ofMinutes(1), EngineLab.OWNER).record();
            assertEquals(Phase.STABLE, r.getPhase(), "round " + round);
            assertEquals(candidate, r.stableColor(), "round " + round);
            assertEquals(0, lab.replicas(candidate.other()), "round " + round);
            candidate = candidate.other();
            // Real time for the simulation: its resyncs (every 100 ms) reconcile every Deployment again and again.
            Thread.sleep(SIMULATION_TIME.toMillis());
        }

        for (Color color : Color.values()) {
            Deployment d = lab.deployment(color);
            int conditions = d.getStatus().getConditions().size();
            assertTrue(conditions <= 3, color + " has " + conditions + " status conditions, the first " + d.getStatus().getConditions().get(0));
        }
        assertTrue(lab.controlPlane.awaitIdle(Duration.ofSeconds(10)), "the simulated controllers settle");
        assertEquals(0, lab.controlPlane.errors().size(), "no failure inside the simulation: " + lab.controlPlane.errors());
    }
}
