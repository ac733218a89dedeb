package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code shiftTraffic} step driven through test implementations of StepContext, TaskListener and Run. */
class ShiftTrafficStepTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-shift";

    private static MockCluster mock;

    private StepTestSupport support;
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
        lab = support.lab;
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    private static ShiftTrafficStep step(int percent) {
        ShiftTrafficStep step = new ShiftTrafficStep(EngineLab.SERVICE, percent);
        step.setCluster("lab");
        return step;
    }

    /** Runs {@code step} to its end and returns its context. */
    private TestContext run(ShiftTrafficStep step) throws Exception {
        TestContext context = new TestContext(support.run);
        assertEquals("waiting to start", step.start(new TestContext(support.run)).getStatus());
        context.launch(step);
        return context;
    }

    // ---- arguments and forms -------------------------------------------------------------------------------

    @Test
    void argumentsBindWithDefaultsAndReadBack() {
        ShiftTrafficStep s = new ShiftTrafficStep(" checkout ", 5);
        assertEquals("checkout", s.getService());
        assertEquals(5, s.getPercent());
        assertNull(s.getCluster());
        assertNull(s.getServerUrl());
        assertNull(s.getCredentialsId());
        assertNull(s.getNamespace());

        s.setCluster(" prod-eu ");
        s.setServerUrl("https://k8s.example.com");
        s.setCredentialsId("k8s-token");
        s.setNamespace("shop");
        assertEquals("prod-eu", s.getCluster());
        assertEquals("https://k8s.example.com", s.getServerUrl());
        assertEquals("k8s-token", s.getCredentialsId());
        assertEquals("shop", s.getNamespace());
        s.setNamespace(" ");
        assertNull(s.getNamespace());

        assertEquals(0, new ShiftTrafficStep("checkout", 0).getPercent());
        assertEquals(100, new ShiftTrafficStep("checkout", 100).getPercent());
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        assertEquals("shiftTraffic: " + Messages.ShiftTrafficStep_PercentInvalid("-1"),
                StepTestSupport.refusal(new ShiftTrafficStep("checkout", -1)));
        assertEquals("shiftTraffic: " + Messages.ShiftTrafficStep_PercentInvalid("101"),
                StepTestSupport.refusal(new ShiftTrafficStep("checkout", 101)));
        assertTrue(Messages.ShiftTrafficStep_PercentInvalid("101").contains("from 0 to 100, not 101"));
        assertEquals("shiftTraffic: " + Messages.ClusterStep_ServiceRequired(), StepTestSupport.refusal(new ShiftTrafficStep(null, 5)));
        assertEquals("shiftTraffic: " + Messages.ClusterStep_ServiceInvalid("Checkout_Svc", 47),
                StepTestSupport.refusal(new ShiftTrafficStep("Checkout_Svc", 5)));
        StepTestSupport.refusal(new ShiftTrafficStep("a".repeat(48), 5));
        ShiftTrafficStep s = new ShiftTrafficStep("checkout", 5);
        s.setNamespace("Not_A_Namespace");
        assertEquals("shiftTraffic: " + Messages.ClusterStep_NamespaceInvalid("Not_A_Namespace"), StepTestSupport.refusal(s));
    }

    @Test
    void descriptorNamesTheStepAndShowsServiceAndWeight() {
        ShiftTrafficStep.DescriptorImpl d = new ShiftTrafficStep.DescriptorImpl();
        assertEquals("shiftTraffic", d.getFunctionName());
        assertEquals(Messages.ShiftTrafficStep_DisplayName(), d.getDisplayName());
        assertEquals(Set.of(Run.class, TaskListener.class, FlowNode.class), d.getRequiredContext());
        assertEquals("checkout \u2192 5 %", d.argumentsToString(Map.of("service", "checkout", "percent", 5, "cluster", "lab")));
        assertEquals("checkout", d.argumentsToString(Map.of("service", "checkout")));
        assertNull(d.argumentsToString(Map.of("percent", 5)));
        assertFalse(d.takesImplicitBlockArgument());
    }

    // ---- execution -----------------------------------------------------------------------------------------

    @Test
    void shiftsTheIstioRouterStepByStepAsynchronouslyAndLogsNoSecret() throws Exception {
        StepTestSupport.deployCandidate(lab);
        assertEquals(Phase.READY, lab.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());

        for (int percent : new int[] {0, 5, 50}) {
            TestContext context = run(step(percent));
            assertEquals("SHIFTED", context.live().awaitPhase());
            assertEquals(1, context.live().completions.get(), "completes once");
            assertTrue(context.live().completedOn.startsWith("jenkins.util.Timer"), context.live().completedOn);

            Weights expected = Weights.of(Color.GREEN, percent);
            assertEquals(expected, lab.liveWeights(), "the VirtualService holds the weights");
            RolloutRecord r = lab.record();
            assertEquals(Phase.SHIFTED, r.getPhase());
            assertEquals(expected, r.getWeights());

            String log = context.live().log();
            assertTrue(log.contains(Messages.RolloutPlan_Stage("shiftTraffic", "shift to " + percent + " %", lab.target.toString())), log);
            assertTrue(log.contains("[shiftTraffic] traffic: traffic now " + expected), log);
            assertTrue(log.contains(Messages.ClusterStep_Event("shiftTraffic", "traffic", "traffic now " + expected)), log);
            assertFalse(log.contains(TOKEN), log);
        }
        assertEquals(3, lab.replicas(Color.BLUE));
        assertEquals(3, lab.replicas(Color.GREEN));
        assertEquals(List.of(support.run, support.run, support.run), support.contextualizedFor,
                "the credentials were looked up for this build, each time");
    }

    @Test
    void aShiftInTheWrongPhaseFailsWithTheEnginesMessageAndChangesNothing() throws Exception {
        lab.engine().deploy(lab.manifest("1.0.0"));
        assertEquals(Phase.STABLE, lab.record().getPhase());
        TestContext context = run(step(50));
        AbortException abort = assertInstanceOf(AbortException.class, context.live().awaitFailure());
        assertEquals(Messages.ShiftTrafficStep_Failed("cannot shift traffic while the rollout of " + lab.target
                + " is STABLE (allowed: [READY, SHIFTING, SHIFTED])"), abort.getMessage());
        assertEquals(Phase.STABLE, lab.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(1, context.live().completions.get());
        assertFalse(context.live().log().contains("Traffic shifted"), context.live().log());

        // A refusal fails the step even with failOnRollback: false: the Pipeline gets the error, never a result.
        ShiftTrafficStep lenient = step(50);
        lenient.setFailOnRollback(false);
        TestContext again = run(lenient);
        assertInstanceOf(AbortException.class, again.live().awaitFailure());
        assertTrue(again.live().result.isCompletedExceptionally());
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void aServiceSelectorRefusesAPartialShift() throws Exception {
        EngineLab selector = support.newLab(RouterSpec.Kind.SERVICE_SELECTOR);
        StepTestSupport.deployCandidate(selector);
        ShiftTrafficStep step = step(5);
        step.setNamespace(selector.namespace);
        TestContext context = run(step);
        AbortException abort = assertInstanceOf(AbortException.class, context.live().awaitFailure());
        assertEquals(Messages.ShiftTrafficStep_Failed("the selector of Service 'checkout' switches all traffic at once: "
                + "shift to 0 or 100 %, not 5 %"), abort.getMessage());
        assertEquals(Phase.READY, selector.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), selector.liveWeights());
    }

    // ---- restarts ------------------------------------------------------------------------------------------

    @Test
    void theSerializedExecutionHoldsNoSecretAndFinishesTheShiftOnResume() throws Exception {
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        StepExecution before = step(50).start(context);

        byte[] bytes = StepTestSupport.serialize(before);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(TOKEN), "the token is not in the saved execution");
        assertFalse(text.contains("KubernetesClient"), "no client is saved");
        assertTrue(text.contains("checkout"), "the arguments are saved");
        assertEquals(Phase.READY, lab.record().getPhase(), "nothing ran before the restart");

        StepExecution after = StepTestSupport.restore(bytes, StepExecution.class);
        after.onResume();
        assertEquals("SHIFTED", context.live().awaitPhase());
        assertEquals(new Weights(50, 50), lab.liveWeights());
        assertEquals(Phase.SHIFTED, lab.record().getPhase());
        assertEquals("finished", after.getStatus());
        assertFalse(context.live().log().contains(TOKEN));
        assertFalse(new String(StepTestSupport.serialize(after), StandardCharsets.ISO_8859_1).contains(TOKEN), "nor after running");

        // A second restart resumes the same shift again: the traffic is already there, nothing changes.
        TestContext again = new TestContext(support.run);
        StepExecution third = step(50).start(again);
        third.onResume();
        assertEquals("SHIFTED", again.live().awaitPhase());
        assertTrue(again.live().log().contains(Messages.RolloutPlan_Unchanged("shiftTraffic", "traffic already at " + new Weights(50, 50))),
                again.live().log());
        assertEquals(new Weights(50, 50), lab.liveWeights());
    }
}
