package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Result;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An execution never moves a rollout forward once its build is no longer there to watch it. Jenkins calls
 * {@code stop()} only on an abort; a build can also end while the step's own timer work goes on (the Pipeline failed,
 * e.g. because it could not save its program), or its program can be gone. Each path is covered: the rollout is
 * returned to its stable colour when it was mid-shift, left promoted (old colour kept) when it was baking, and never
 * promoted or decommissioned after the build ended. A failure inside a piece of work ends the step the same way: a
 * deploy that could not be saved never begins, and a defect leaves no traffic half-way.
 */
class BuildLostTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-lost";

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    private StepTestSupport support;
    private EngineLab lab;

    @BeforeEach
    void setUp() throws Exception {
        support = STEPS.support();
        lab = support.lab;
        lab.engine().deploy(lab.manifest("1.0.0"));
    }

    /** A rollout 50 then 100 % with a long analysis after each step, started and watched until its first analysis. */
    private TestContext rolloutInItsFirstAnalysis() throws Exception {
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("4s");
        step.setBakeTime("1s");
        TestContext context = new TestContext(support.run);
        context.launch(step);
        await("the first analysis", () -> context.live().log().contains("gates: errors PASS"));
        assertEquals(new Weights(50, 50), lab.liveWeights());
        return context;
    }

    /** Waits past the whole plan (two 4 s windows and the bake), then checks the rollout never moved on. */
    private void assertReturnedAndNeverPromoted(TestContext context, String why) throws Exception {
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure instanceof AbortException, String.valueOf(failure));
        assertTrue(failure.getMessage().contains(why), failure.getMessage());
        await("the traffic returned", () -> lab.liveWeights().equals(Weights.all(Color.BLUE)));
        Thread.sleep(10_000);
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase(), "never promoted");
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertTrue(r.getRollback().reason().startsWith("blueGreenDeploy stopped: "), r.getRollback().reason());
        assertTrue(r.getRollback().reason().contains(why), r.getRollback().reason());
        assertEquals(0, lab.replicas(Color.GREEN), "the candidate is scaled down");
        assertEquals(3, lab.replicas(Color.BLUE), "the stable colour serves");
        assertEquals(1, context.live().completions.get());
    }

    @Test
    void aBuildThatEndsMidAnalysisReturnsTheTrafficAndIsNeverPromoted() throws Exception {
        TestContext context = rolloutInItsFirstAnalysis();
        support.run.setResult(Result.FAILURE);
        support.run.finish(); // the build ends; Jenkins does not call stop()
        assertReturnedAndNeverPromoted(context, "is no longer running (result FAILURE)");
        assertTrue(context.live().log().contains(Messages.RolloutPlan_ReturningAfterBuildLost("blueGreenDeploy",
                lab.target.toString())), context.live().log());
    }

    @Test
    void aBuildWhoseProgramIsGoneMidAnalysisReturnsTheTrafficAndIsNeverPromoted() throws Exception {
        TestContext context = rolloutInItsFirstAnalysis();
        context.live().gone = true; // the context answers nothing any more
        assertReturnedAndNeverPromoted(context, "its build is gone");
    }

    @Test
    void aProgramThatCannotBeSavedFailsTheBuildAndTheRolloutIsReturned() throws Exception {
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("4s");
        TestContext context = new TestContext(support.run);
        // The save at the start of the first analysis fails, as River failed on a record in the real Jenkins.
        context.live().saveFails = e -> e instanceof RolloutPlanExecution && ((RolloutPlanExecution) e).currentStage() != null
                && ((RolloutPlanExecution) e).currentStage().kind() == RolloutPlanExecution.Stage.Kind.ANALYZE;
        context.launch(step);
        assertReturnedAndNeverPromoted(context, "the Pipeline could not save the step's state");
        assertFalse(support.run.isBuilding(), "the Pipeline failed the build");
        assertEquals(Result.FAILURE, support.run.getResult());
    }

    @Test
    void aBuildThatEndedWhileTheControllerWasDownIsNotResumedForward() throws Exception {
        TestContext context = rolloutInItsFirstAnalysis();
        ((RolloutPlanExecution) context.live().execution).halt(); // the controller stops
        support.run.setResult(Result.FAILURE);
        support.run.finish(); // and the build is found ended when it comes back
        context.restart();
        assertReturnedAndNeverPromoted(context, "is no longer running (result FAILURE)");
    }

    /** A shift to 100 % with promotion, watched until its bake time of 3 s began. */
    private TestContext promotedAndBaking() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = new ShiftTrafficStep(EngineLab.SERVICE, 100); // no Prometheus: the bake only waits
        step.setCluster("lab");
        step.setPromote(true);
        step.setBakeTime("3s");
        TestContext context = new TestContext(support.run);
        context.launch(step);
        await("the bake", () -> context.live().log().contains("Bake time of 3s"));
        return context;
    }

    /** Waits past the bake time, then checks the rollout stayed promoted with the old colour up, never decommissioned. */
    private void assertLeftPromoted(TestContext context, String why) throws Exception {
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure instanceof AbortException, String.valueOf(failure));
        assertTrue(failure.getMessage().contains(why), failure.getMessage());
        Thread.sleep(5_000); // past the bake time
        assertEquals(Phase.PROMOTED, lab.record().getPhase(), "not decommissioned for a build that ended");
        assertEquals(3, lab.replicas(Color.BLUE), "the old colour is kept for a rollback");
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertTrue(context.live().log().contains(Messages.RolloutPlan_LeftPromoted("shiftTraffic", lab.target.toString())),
                context.live().log());
        assertEquals(1, context.live().completions.get());
    }

    @Test
    void aBuildThatEndsMidBakeLeavesTheRolloutPromotedWithTheOldColourUp() throws Exception {
        TestContext context = promotedAndBaking();
        support.run.setResult(Result.ABORTED);
        support.run.finish();
        assertLeftPromoted(context, "is no longer running (result ABORTED)");
    }

    @Test
    void aBuildWhoseProgramIsGoneMidBakeLeavesTheRolloutPromotedWithTheOldColourUp() throws Exception {
        TestContext context = promotedAndBaking();
        context.live().gone = true; // the context answers nothing any more
        assertLeftPromoted(context, "its build is gone");
    }

    /**
     * The save that records that the deploy begins fails (as River failed in the real Jenkins): the Pipeline fails the
     * build, and the candidate is never applied, so a restart cannot find a deploy it does not know about.
     */
    @Test
    void aDeployWhoseBeginningCannotBeSavedNeverBegins() throws Exception {
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        TestContext context = new TestContext(support.run);
        // every save after the one at the start, which Pipeline makes on this thread; the step's own run on the Timer.
        // (Counting saves raced: the step's first piece could save before this thread's save at the start had counted.)
        Thread pipeline = Thread.currentThread();
        context.live().saveFails = e -> Thread.currentThread() != pipeline;
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure instanceof AbortException, String.valueOf(failure));
        assertTrue(failure.getMessage().contains("the Pipeline could not save the step's state"), failure.getMessage());
        assertFalse(support.run.isBuilding(), "the Pipeline failed the build");
        RolloutRecord r = lab.record();
        assertEquals(Phase.STABLE, r.getPhase(), "the deploy never began");
        assertEquals("registry.example.com/shop/checkout:1.0.0", r.getStable().image());
        assertEquals(-1, lab.replicas(Color.GREEN), "the candidate was never applied");
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(1, context.live().completions.get());
    }

    /**
     * A defect inside the piece that has just moved the traffic (here the save after the shift throws, standing for any
     * unexpected exception): the step's own progress may be wrong, so the traffic goes back to the stable colour even
     * though a gate's verdict would leave it where it is ({@code rollbackOnFailure: false}).
     */
    @Test
    void anUnexpectedFailureInsideAPieceLeavesNoTrafficHalfway() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, 50), GATES);
        step.setAnalysisWindow("30s");
        step.setRollbackOnFailure(false);
        TestContext context = new TestContext(support.run);
        context.live().onSave = saved -> {
            if (context.live().saves.get() >= 2) { // the first save after the one at the start: the shift is done
                throw new IllegalStateException("a defect");
            }
        };
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        assertEquals("a defect", failure.getMessage(), String.valueOf(failure));
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals("shiftTraffic failed: IllegalStateException: a defect", r.getRollback().reason());
        assertTrue(context.live().log().contains(Messages.RolloutPlan_RollingBackAfterFailure("shiftTraffic",
                "IllegalStateException: a defect")), context.live().log());
        assertEquals(1, context.live().completions.get());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
