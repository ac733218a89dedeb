package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process dies right after each change an operation makes to the cluster; a new process (another engine with
 * its own client) runs the same operation again. The end state must be the one an uninterrupted run reaches.
 */
class CrashResumeTest extends LabTest {


    enum Operation {
        DEPLOY(lab -> lab.engine().deploy(lab.manifest("1.0.0")),
                (lab, engine) -> engine.deploy(lab.image("2.0.0")).record()),
        SHIFT(lab -> {
            DEPLOY.prepare.accept(lab);
            lab.engine().deploy(lab.image("2.0.0"));
        }, (lab, engine) -> engine.shift(lab.target, 50, EngineLab.OWNER).record()),
        PROMOTE(lab -> {
            SHIFT.prepare.accept(lab);
            lab.engine().shift(lab.target, 50, EngineLab.OWNER);
        }, (lab, engine) -> engine.promote(lab.target, EngineLab.OWNER).record()),
        DECOMMISSION(lab -> {
            PROMOTE.prepare.accept(lab);
            lab.engine().promote(lab.target, EngineLab.OWNER);
            lab.clock.advance(Duration.ofHours(2));
        }, (lab, engine) -> engine.decommission(lab.target, Duration.ofHours(1), EngineLab.OWNER).record()),
        ROLLBACK(lab -> PROMOTE.prepare.accept(lab),
                (lab, engine) -> engine.rollback(lab.target, "smoke test failed", null, EngineLab.OWNER).record());

        final Consumer<EngineLab> prepare;
        final java.util.function.BiFunction<EngineLab, RolloutEngine, RolloutRecord> run;

        Operation(Consumer<EngineLab> prepare, java.util.function.BiFunction<EngineLab, RolloutEngine, RolloutRecord> run) {
            this.prepare = prepare;
            this.run = run;
        }
    }

    /** What must hold at the end, whatever happened on the way. */
    private static List<Object> endState(EngineLab lab) {
        RolloutRecord r = lab.record();
        List<Object> state = new ArrayList<>();
        state.add(r.getPhase());
        state.add(r.stableColor());
        state.add(r.candidateColor());
        state.add(r.getWeights());
        state.add(r.getTargetWeights());
        state.add(lab.liveWeights());
        state.add(lab.replicas(Color.BLUE));
        state.add(lab.replicas(Color.GREEN));
        state.add(r.getCandidate() == null ? null : r.getCandidate().image());
        return state;
    }

    private <T> T inLab(Function<EngineLab, T> body) {
        return body.apply(lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE));
    }

    /** A rollout left in DEPLOYING or SHIFTING by a dead process is rolled back by anyone, from the record alone. */
    @ParameterizedTest
    @EnumSource(value = Operation.class, names = {"DEPLOY", "SHIFT"})
    void aRolloutLeftMidwayByADeadProcessCanBeRolledBack(Operation op) {
        inLab(lab -> {
            op.prepare.accept(lab);
            RolloutEngine doomed = lab.engine(c -> new FaultyCluster(c, 2)); // after the record says what it starts
            assertThrows(FaultyCluster.SimulatedCrash.class, () -> op.run.apply(lab, doomed));
            Phase left = lab.record().getPhase();
            assertEquals(op == Operation.DEPLOY ? Phase.DEPLOYING : Phase.SHIFTING, left);

            RolloutRecord r = lab.engine().rollback(lab.target, "build aborted", null, "https://jenkins.example.com/job/ops/3/").record();
            assertEquals(Phase.ROLLED_BACK, r.getPhase());
            assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
            assertEquals(0, lab.replicas(Color.GREEN));
            assertEquals(3, lab.replicas(Color.BLUE));
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void crashingAfterAnyChangeAndRunningAgainConverges(Operation op) {
        int[] changes = new int[1];
        List<Object> expected = inLab(lab -> {
            op.prepare.accept(lab);
            FaultyCluster[] counting = new FaultyCluster[1];
            RolloutEngine engine = lab.engine(c -> counting[0] = new FaultyCluster(c, Integer.MAX_VALUE));
            op.run.apply(lab, engine);
            changes[0] = counting[0].changes.get();
            return endState(lab);
        });
        assertTrue(changes[0] >= 2, op + " makes " + changes[0] + " changes");

        for (int crashAfter = 1; crashAfter <= changes[0]; crashAfter++) {
            int step = crashAfter;
            List<Object> actual = inLab(lab -> {
                op.prepare.accept(lab);
                RolloutEngine doomed = lab.engine(c -> new FaultyCluster(c, step));
                assertThrows(FaultyCluster.SimulatedCrash.class, () -> op.run.apply(lab, doomed));
                op.run.apply(lab, lab.engine());
                return endState(lab);
            });
            assertEquals(expected, actual, op + " crashed after change " + step + " of " + changes[0]);
        }
    }
}
