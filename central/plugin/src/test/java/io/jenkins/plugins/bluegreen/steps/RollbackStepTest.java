package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code rollback} step driven through test implementations of StepContext, TaskListener and Run. */
class RollbackStepTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-rollback";

    private static MockCluster mock;

    private StepTestSupport support;
    private List<Run<?, ?>> contextualizedFor;
    private TestRun run;
    private EngineLab lab;

    @BeforeAll
    static void startCluster() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        mock.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        support = new StepTestSupport(mock, TOKEN);
        contextualizedFor = support.contextualizedFor;
        run = support.run;
        lab = support.lab;
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    /** Blue 1.0.0 stable, green 2.0.0 with half of the traffic. */
    private static void liveRollout(EngineLab l) {
        RolloutEngine engine = StepTestSupport.deployCandidate(l);
        engine.shift(l.target, 50, EngineLab.OWNER);
        assertEquals(Phase.SHIFTED, l.record().getPhase());
        assertEquals(new Weights(50, 50), l.liveWeights());
    }

    private static RollbackStep step() {
        RollbackStep step = new RollbackStep(EngineLab.SERVICE);
        step.setCluster("lab");
        return step;
    }

    // ---- arguments and forms -------------------------------------------------------------------------------

    @Test
    void argumentsBindWithDefaultsAndReadBack() {
        RollbackStep s = new RollbackStep(" checkout ");
        assertEquals("checkout", s.getService());
        assertNull(s.getCluster());
        assertNull(s.getServerUrl());
        assertNull(s.getCredentialsId());
        assertNull(s.getNamespace());
        assertEquals("requested by the Pipeline", s.getReason());
        assertFalse(s.isFailIfNothingToRollBack());

        s.setCluster("prod-eu");
        s.setServerUrl("https://k8s.example.com");
        s.setCredentialsId("k8s-token");
        s.setNamespace("shop");
        s.setReason("error rate too high");
        s.setFailIfNothingToRollBack(true);
        assertEquals("prod-eu", s.getCluster());
        assertEquals("https://k8s.example.com", s.getServerUrl());
        assertEquals("k8s-token", s.getCredentialsId());
        assertEquals("shop", s.getNamespace());
        assertEquals("error rate too high", s.getReason());
        assertTrue(s.isFailIfNothingToRollBack());

        s.setReason("  ");
        assertEquals(RollbackStep.DEFAULT_REASON, s.getReason(), "a blank reason is the default");
        s.setNamespace("");
        assertNull(s.getNamespace());
    }

    @Test
    void badNamesAreRefusedWithClearMessages() {
        assertEquals("rollback: " + Messages.ClusterStep_ServiceRequired(), StepTestSupport.refusal(new RollbackStep(" ")));
        assertEquals("rollback: " + Messages.ClusterStep_ServiceInvalid("Checkout_Svc", 47),
                StepTestSupport.refusal(new RollbackStep("Checkout_Svc")));
        StepTestSupport.refusal(new RollbackStep("a".repeat(48)));
        RollbackStep s = new RollbackStep("checkout");
        s.setNamespace("Not_A_Namespace");
        assertEquals("rollback: " + Messages.ClusterStep_NamespaceInvalid("Not_A_Namespace"), StepTestSupport.refusal(s));
        RollbackStep twoLines = new RollbackStep("checkout");
        twoLines.setReason("two\nlines");
        assertEquals("rollback: " + Messages.RollbackStep_ReasonInvalid(), StepTestSupport.refusal(twoLines));
    }

    @Test
    void descriptorNamesTheStepAndShowsTheService() {
        RollbackStep.DescriptorImpl d = new RollbackStep.DescriptorImpl();
        assertEquals("rollback", d.getFunctionName());
        assertEquals(Messages.RollbackStep_DisplayName(), d.getDisplayName());
        assertEquals(Set.of(Run.class, TaskListener.class), d.getRequiredContext());
        assertEquals("checkout", d.argumentsToString(Map.of("service", "checkout", "cluster", "lab", "reason", "x")));
        assertNull(d.argumentsToString(Map.of("cluster", "lab")));
        assertFalse(d.takesImplicitBlockArgument());
    }

    // ---- execution -----------------------------------------------------------------------------------------

    @Test
    void rollsBackALiveRolloutAsynchronouslyAndLogsNoSecret() throws Exception {
        liveRollout(lab);
        RollbackStep step = step();
        step.setReason("error rate too high");
        TestContext context = new TestContext(run);
        assertEquals("waiting to start", step.start(new TestContext(run)).getStatus());
        StepExecution execution = context.launch(step);
        RolloutResult result = context.live().awaitRolloutResult();
        assertTrue(context.live().completedOn.startsWith("jenkins.util.Timer"), context.live().completedOn);
        assertEquals(1, context.live().completions.get());

        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(3, lab.replicas(Color.BLUE));
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals("error rate too high", r.getRollback().reason());
        assertEquals("finished", execution.getStatus());

        // What the Pipeline gets back: the rollback as the record holds it, and this build's page.
        assertEquals("ROLLED_BACK", result.getPhase());
        assertEquals("error rate too high", result.getReason());
        assertEquals(r.getRollback().recoveryMillis(), result.getTimeToRevertMillis());
        assertNull(result.getGate(), "a rollback someone asked for names no gate");
        assertNull(result.getValue());
        assertEquals(List.of(EngineLab.SERVICE, lab.namespace, "green", "registry.example.com/shop/checkout:2.0.0", "blue",
                "registry.example.com/shop/checkout:1.0.0"), List.of(result.getService(), result.getNamespace(), result.getCandidateColor(),
                result.getCandidateImage(), result.getStableColor(), result.getStableImage()));
        assertEquals(StepTestSupport.ROOT_URL + "job/checkout-deploy/" + run.getNumber() + "/blue-green-rollout/", result.getReportUrl());

        String log = context.live().log();
        assertTrue(log.contains(Messages.RollbackStep_Started(lab.target.toString(), "error rate too high")), log);
        assertTrue(log.contains("[rollback] rollback: rolling back to blue: error rate too high"), log);
        assertTrue(log.contains("Rollback finished: rolled back: blue has all traffic again"), log);
        assertFalse(log.contains(TOKEN), log);
        assertEquals(List.of(run), contextualizedFor, "the credentials were looked up for this build");
    }

    @Test
    void nothingInProgressSucceedsWithAMessage() throws Exception {
        TestContext context = new TestContext(run);
        context.launch(step());
        RolloutResult result = context.live().awaitRolloutResult();
        assertEquals(List.of("NONE", EngineLab.SERVICE, lab.namespace), List.of(result.getPhase(), result.getService(),
                result.getNamespace()), "never null: a Pipeline can read result.phase in any case");
        assertNull(result.getReason());
        assertNull(result.getCandidateImage());
        assertNull(result.getReportUrl(), "nothing was recorded on the build's page");
        String log = context.live().log();
        assertTrue(log.contains(Messages.RollbackStep_NothingToRollBack(
                "nothing to roll back: " + lab.target + " has no rollout record")), log);
        assertFalse(log.contains("Rollback finished"), log);
    }

    @Test
    void nothingInProgressFailsOnRequestWithoutAStackTrace() throws Exception {
        lab.engine().deploy(lab.manifest("1.0.0"));
        RollbackStep step = step();
        step.setFailIfNothingToRollBack(true);
        TestContext context = new TestContext(run);
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        AbortException abort = assertInstanceOf(AbortException.class, failure);
        assertEquals(Messages.RollbackStep_NothingToRollBackFailure(
                "nothing to roll back: " + lab.target + " is STABLE, blue serves all traffic"), abort.getMessage());
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void anUnknownClusterFailsBeforeTheEngineRuns() throws Exception {
        liveRollout(lab);
        RollbackStep step = new RollbackStep(EngineLab.SERVICE);
        step.setCluster("staging");
        TestContext context = new TestContext(run);
        context.launch(step);
        AbortException abort = assertInstanceOf(AbortException.class, context.live().awaitFailure());
        assertEquals(io.jenkins.plugins.bluegreen.config.Messages.Connections_UnknownCluster("staging", "lab"), abort.getMessage());
        assertEquals(Phase.SHIFTED, lab.record().getPhase(), "the engine never ran");
        assertEquals(new Weights(50, 50), lab.liveWeights());
        assertTrue(contextualizedFor.isEmpty(), "no credentials were looked up");
    }

    @Test
    void stopFailsTheStepWithTheCauseOnce() throws Exception {
        TestContext context = new TestContext(run);
        StepExecution execution = step().start(context);
        InterruptedException cause = new InterruptedException("aborted by user");
        execution.stop(cause);
        assertSame(cause, context.live().awaitFailure());
        assertEquals("stopped", execution.getStatus());
        execution.stop(new InterruptedException("again"));
        assertEquals(1, context.live().completions.get(), "a step completes once");
    }

    // ---- restarts ------------------------------------------------------------------------------------------

    @Test
    void theSerializedExecutionHoldsNoSecretAndFinishesTheRollbackOnResume() throws Exception {
        liveRollout(lab);
        TestContext context = new TestContext(run);
        StepExecution before = step().start(context);

        byte[] bytes = serialize(before);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(TOKEN), "the token is not in the saved execution");
        assertFalse(text.contains("KubernetesClient"), "no client is saved");
        assertTrue(text.contains("checkout"), "the arguments are saved");

        // The controller restarts: a new execution object from the saved bytes, resumed.
        StepExecution after = StepTestSupport.restore(bytes, StepExecution.class);
        after.onResume();
        assertEquals("ROLLED_BACK", context.live().awaitPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertFalse(context.live().log().contains(TOKEN));
        assertFalse(new String(serialize(after), StandardCharsets.ISO_8859_1).contains(TOKEN), "nor after running");

        // Resuming once more (a second restart) is harmless: the record says it is done.
        TestContext again = new TestContext(run);
        StepExecution third = step().start(again);
        third.onResume();
        RolloutResult unchanged = again.live().awaitRolloutResult();
        assertTrue(again.live().log().contains("nothing to roll back"), again.live().log());
        // The service as the record holds it: rolled back earlier, for that rollback's reason.
        assertEquals(List.of("ROLLED_BACK", RollbackStep.DEFAULT_REASON), List.of(unchanged.getPhase(), unchanged.getReason()));
        assertEquals(lab.record().getRollback().recoveryMillis(), unchanged.getTimeToRevertMillis());
    }

    private static byte[] serialize(Object o) throws Exception {
        return StepTestSupport.serialize(o);
    }

}
