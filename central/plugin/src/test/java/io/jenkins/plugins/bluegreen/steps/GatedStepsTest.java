package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Result;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code verifyMetrics} and {@code shiftTraffic} watching gates on live data (a real Prometheus scraping a metrics
 * endpoint every second) against the mock API server: verdicts, automatic rollback, the stage and build marks, the
 * build action, restarts mid-analysis and mid-bake, aborts mid-shift, and no secret anywhere.
 */
class GatedStepsTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-gated";

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    private StepTestSupport support;
    private EngineLab lab;

    @BeforeEach
    void setUp() throws Exception {
        support = STEPS.support();
        lab = support.lab;
    }

    private <S extends GatedStep> S gated(S step) {
        return StepTestSupport.gated(step, GATES);
    }

    private VerifyMetricsStep verify(String window) {
        VerifyMetricsStep step = gated(new VerifyMetricsStep(EngineLab.SERVICE));
        step.setWindow(window);
        return step;
    }

    /** Blue 1.0.0 stable, green 2.0.0 with half the traffic. */
    private void halfway() {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
    }

    private TestContext start(org.jenkinsci.plugins.workflow.steps.Step step) throws Exception {
        TestContext context = new TestContext(support.run);
        context.launch(step);
        return context;
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

    private void assertNoSecret(String where, String text) {
        assertFalse(text.contains(TOKEN), "the cluster token is not in the " + where);
        assertFalse(text.contains(StepTestSupport.PROMETHEUS_TOKEN), "the Prometheus token is not in the " + where);
    }

    private String actionText() {
        RolloutAction action = support.run.getAction(RolloutAction.class);
        assertNotNull(action, "the build has a Blue-Green Rollout action");
        StringBuilder text = new StringBuilder();
        for (RolloutAction.Entry e : action.getEntries()) {
            text.append(e.getService()).append(' ').append(e.getOutcome()).append(' ').append(e.getRollbackReason()).append('\n');
            e.getEvents().forEach(ev -> text.append(ev.getAt()).append(' ').append(ev.getType()).append(' ')
                    .append(ev.getMessage()).append('\n'));
        }
        return text.toString();
    }

    // ---- verifyMetrics --------------------------------------------------------------------------------------

    @Test
    void healthyGatesPassTheWindowAndLogEachEvaluation() throws Exception {
        halfway();
        TestContext context = start(verify("3s"));
        assertEquals("SHIFTED", context.live().awaitPhase());
        String log = context.live().log();
        assertTrue(log.contains("[verifyMetrics] gates: errors PASS 0 (fails when > 0.5)"), log);
        assertTrue(log.contains("[verifyMetrics] window: "), "a summary per window: " + log);
        assertTrue(log.contains("all gates passed over 3 s"), log);
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights(), "a passing window moves no traffic");
        assertNull(context.live().node.getPersistentAction(WarningAction.class));
        assertTrue(support.contextualizedFor.contains(support.run), "the credentials were looked up with the build");
        assertNoSecret("log", log);
        assertTrue(actionText().contains("checkout SHIFTED"), actionText());
    }

    @Test
    void theWarmUpFollowsTheScrapeIntervalAndTheDefaultMinimumOfEvaluationsLetsAHealthyWindowPass() throws Exception {
        halfway();
        VerifyMetricsStep step = verify("5s");
        step.setMinEvaluations(null); // the default: 3
        TestContext context = start(step);
        assertEquals("SHIFTED", context.live().awaitPhase());
        String log = context.live().log();
        assertTrue(log.contains("[verifyMetrics] Warm-up: up to 2s for the candidate's first samples (2 × the scrape interval"
                + " of 1s read from Prometheus + each gate's rate window); a window passes only after 3 evaluations with data"
                + " per gate."), log);
        assertTrue(log.contains("all gates passed over 5 s"), log);
    }

    /**
     * A window that cannot hold the evaluations each gate needs could only end inconclusive and roll back, so it is
     * refused before anything changes. (A window that gets too few at run time, e.g. with no data, is inconclusive:
     * WarmUpTest, and the fault matrix's analysis rows through this step.)
     */
    @Test
    void aWindowThatCannotHoldTheEvaluationsNeededIsRefusedBeforeAnythingChanges() throws Exception {
        halfway();
        Weights before = lab.liveWeights();
        VerifyMetricsStep step = verify("2s");
        step.setMinEvaluations(10);
        assertEquals("verifyMetrics: window '2s' cannot hold the 10 evaluations with data each gate needs (minEvaluations): "
                + "gate errors is evaluated every 1s, so 10 evaluations take at least 9s; make window at least 9s, the gate's "
                + "interval shorter, or minEvaluations lower.", StepTestSupport.refusal(step));
        assertEquals(before, lab.liveWeights());
    }

    /**
     * An alert gate on a real Prometheus alerting rule (LabErrors: a colour's errors above 0.5): quiet while nothing
     * fires, and a rollback with the alert's name as soon as the rule fires for the candidate.
     */
    @Test
    void anAlertGateFailsAsSoonAsTheSelectedAlertFires() throws Exception {
        halfway();
        MetricGate alerts = new MetricGate("alerts");
        alerts.setAlerts("alertname=\"LabErrors\",namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"");
        alerts.setInterval("1s");
        VerifyMetricsStep quiet = verify("3s");
        quiet.setGates(List.of(alerts));
        TestContext passing = start(quiet);
        assertEquals("SHIFTED", passing.live().awaitPhase());
        assertTrue(passing.live().log().contains("alerts PASS 0"), passing.live().log());

        GATES.set(lab.namespace, EngineLab.SERVICE, "blue", 0.9); // the stable colour's alert is not the candidate's
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 0.8);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 0.8);
        VerifyMetricsStep firing = verify("30s");
        firing.setGates(List.of(alerts));
        Throwable failure = start(firing).live().awaitFailure();
        assertTrue(failure.getMessage().contains("alerts FAIL") && failure.getMessage().contains("firing: LabErrors (critical)"),
                failure.getMessage());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    /** Five steps at once on one cluster with one credential: one Kubernetes client between them (issue: 500 rollouts). */
    @Test
    void stepsOnOneClusterShareOneClient() throws Exception {
        halfway();
        int before = PluginClients.kubernetes().size();
        List<TestContext> running = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            running.add(start(verify("2s")));
        }
        for (TestContext c : running) {
            assertEquals("SHIFTED", c.live().awaitPhase());
        }
        // this test's namespace is a connection of its own: at most one client more, for five steps
        assertTrue(PluginClients.kubernetes().size() <= before + 1,
                PluginClients.kubernetes().size() + " clients after five steps on one connection (before: " + before + ")");
    }

    @Test
    void aGateComparedWithStableFailsACandidateWorseThanStableBelowItsOwnThreshold() throws Exception {
        halfway();
        MetricGate compared = LiveGates.gate();
        compared.setMaxAboveStable(0.2);
        VerifyMetricsStep equal = verify("2s");
        equal.setGates(List.of(compared));
        TestContext passing = start(equal);
        assertEquals("SHIFTED", passing.live().awaitPhase());
        assertTrue(passing.live().log().contains("errors - stable PASS 0 (fails when > 0.2), within the threshold; stable 0"),
                passing.live().log());

        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 0.4); // below the gate's own 0.5, 0.4 above stable
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 0.4);
        VerifyMetricsStep worse = verify("30s");
        worse.setGates(List.of(compared));
        Throwable failure = start(worse).live().awaitFailure();
        assertTrue(failure.getMessage().contains("errors - stable FAIL") && failure.getMessage().contains("; stable 0")
                && !failure.getMessage().contains("errors FAIL"), failure.getMessage());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aBreachRollsBackAtOnceAndFailsTheStepWithTheTimeToRevert() throws Exception {
        halfway();
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 3);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 3);
        TestContext context = start(verify("30s"));

        Throwable failure = context.live().awaitFailure();
        assertInstanceOf(AbortException.class, failure, "an expected failure has no stack trace");
        assertTrue(failure.getMessage().startsWith("Rolled back " + lab.target + ": gate failed: errors FAIL"), failure.getMessage());
        assertTrue(failure.getMessage().contains("value 3 (fails when > 0.5)"), failure.getMessage());
        assertTrue(failure.getMessage().matches("(?s).*time to revert: \\d+ ms\\)$"), failure.getMessage());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertNull(context.live().node.getPersistentAction(WarningAction.class), "a failed step needs no warning");
        String action = actionText();
        assertTrue(action.contains("checkout ROLLED_BACK gate failed: errors FAIL"), action);
        assertNoSecret("action", action);
        assertNoSecret("log", context.live().log());
    }

    @Test
    void withFailOnRollbackFalseTheStageAndTheBuildAreUnstable() throws Exception {
        halfway();
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 1);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 1);
        VerifyMetricsStep step = verify("30s");
        step.setFailOnRollback(false);
        TestContext context = start(step);

        RolloutResult result = context.live().awaitRolloutResult();
        WarningAction warning = context.live().node.getPersistentAction(WarningAction.class);
        assertNotNull(warning, "Blue Ocean and Pipeline Graph View colour the stage from this");
        assertSame(Result.UNSTABLE, warning.getResult());
        assertTrue(warning.getMessage().startsWith("Rolled back " + lab.target), warning.getMessage());
        assertSame(Result.UNSTABLE, support.run.getResult());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertTrue(actionText().contains("ROLLED_BACK"));

        // What post { unstable { ... } } can tell: the gate, its value against its threshold, the time to revert.
        RolloutRecord r = lab.record();
        assertEquals("ROLLED_BACK", result.getPhase());
        assertEquals(r.getRollback().reason(), result.getReason());
        assertTrue(result.getReason().startsWith("gate failed: errors FAIL"), result.getReason());
        assertEquals(List.of("errors", 1.0, 0.5, ">"), List.of(result.getGate(), result.getValue(), result.getThreshold(),
                result.getComparison()));
        assertNotNull(result.getTimeToRevertMillis());
        assertEquals(r.getRollback().recoveryMillis(), result.getTimeToRevertMillis());
        assertEquals(List.of("green", "registry.example.com/shop/checkout:2.0.0", "blue", "registry.example.com/shop/checkout:1.0.0"),
                List.of(result.getCandidateColor(), result.getCandidateImage(), result.getStableColor(), result.getStableImage()));
        assertEquals(StepTestSupport.ROOT_URL + support.run.getUrl() + "blue-green-rollout/", result.getReportUrl());
        assertNoSecret("result", RolloutResultTest.describe(result));
    }

    @Test
    void withoutRollbackOnFailureTheStepFailsAndTheTrafficStays() throws Exception {
        halfway();
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 1);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 1);
        VerifyMetricsStep step = verify("30s");
        step.setRollbackOnFailure(false);
        Throwable failure = start(step).live().awaitFailure();
        assertTrue(failure.getMessage().startsWith("The gates of " + lab.target + " failed and nothing was rolled back"),
                failure.getMessage());
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());
        assertEquals(Phase.SHIFTED, lab.record().getPhase());

        // With failOnRollback: false the Pipeline gets FAILED, the gate and why; no rollback, so no time to revert.
        step.setFailOnRollback(false);
        RolloutResult result = start(step).live().awaitRolloutResult();
        assertEquals(List.of("FAILED", "errors", 1.0, 0.5), List.of(result.getPhase(), result.getGate(), result.getValue(),
                result.getThreshold()));
        assertTrue(result.getReason().startsWith("gate failed: errors FAIL"), result.getReason());
        assertNull(result.getTimeToRevertMillis());
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());
    }

    @Test
    void aRestartMidAnalysisContinuesTheSameWindowWithoutASecretInTheSavedState() throws Exception {
        halfway();
        TestContext context = new TestContext(support.run);
        RolloutPlanExecution before = (RolloutPlanExecution) context.launch(verify("6s"));
        await("the first evaluation", () -> context.live().log().contains("gates: errors PASS"));
        before.halt(); // the controller dies mid-analysis

        byte[] bytes = context.live().saved; // the program as the Pipeline last saved it
        assertNoSecret("saved execution", new String(bytes, StandardCharsets.ISO_8859_1));
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("KubernetesClient"), "no client is saved");
        assertFalse(context.live().result.isDone());

        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 2); // goes bad while Jenkins is down
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 2);
        context.restart();
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure.getMessage().contains("errors FAIL"), failure.getMessage());
        String log = context.live().log();
        assertEquals(1, count(log, "[verifyMetrics] Watching errors for 6s."), "the window is not started again: " + log);
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights(), "the resumed analysis rolled back");
        assertEquals(1, context.live().completions.get());
        assertNoSecret("log", log);
    }

    // ---- shiftTraffic with analysis, promotion and bake ------------------------------------------------------

    @Test
    void abortingMidShiftReturnsTheTrafficToTheStableColour() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = gated(new ShiftTrafficStep(EngineLab.SERVICE, 50));
        step.setAnalysisWindow("60s");
        TestContext context = new TestContext(support.run);
        var execution = context.launch(step);
        await("the analysis", () -> context.live().log().contains("gates: errors PASS"));
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());

        // What Jenkins passes to stop() when a user aborts the build.
        FlowInterruptedException abort = new FlowInterruptedException(Result.ABORTED, true,
                new CauseOfInterruption.UserInterruption("admin"));
        execution.stop(abort);
        assertSame(abort, context.live().awaitFailure(), "the step ends with the abort's cause");
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals("the build was aborted by admin", r.getRollback().reason(), "words, not an exception's class name");
        assertTrue(context.live().log().contains(Messages.ClusterStepExecution_Stopping("shiftTraffic", lab.target.toString(),
                "the build was aborted by admin")), context.live().log());
        assertTrue(actionText().contains("checkout ROLLED_BACK the build was aborted by admin"), actionText());

        // post { aborted { rollback ... } } then finds nothing left to do, and says so.
        RollbackStep post = new RollbackStep(EngineLab.SERVICE);
        post.setCluster("lab");
        post.setReason("build aborted");
        TestContext postContext = start(post);
        RolloutResult nothing = postContext.live().awaitRolloutResult();
        assertEquals(List.of("ROLLED_BACK", "the build was aborted by admin"), List.of(nothing.getPhase(), nothing.getReason()),
                "the service as it is: rolled back by the abort");
        assertNull(nothing.getGate());
        assertNotNull(nothing.getReportUrl(), "the aborted step put the service on this build's page");
        assertTrue(postContext.live().log().contains("Nothing to roll back"), postContext.live().log());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aRollbackFromAnotherJobEndsAWatchedRolloutAndTheWatchingStepTellsTheTruth() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = gated(new ShiftTrafficStep(EngineLab.SERVICE, 50));
        step.setAnalysisWindow("60s");
        TestContext watching = start(step);
        await("the analysis", () -> watching.live().log().contains("gates: errors PASS"));

        RollbackStep other = new RollbackStep(EngineLab.SERVICE);
        other.setCluster("lab");
        other.setReason("on-call decided");
        TestContext otherContext = new TestContext(new io.jenkins.plugins.bluegreen.testkit.TestJob(support.jenkins, "rollback-checkout").newBuild());
        otherContext.launch(other);
        assertEquals("ROLLED_BACK", otherContext.live().awaitPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());

        Throwable failure = watching.live().awaitFailure();
        assertEquals(Messages.RolloutPlan_RolledBack(lab.target.toString(), Messages.RolloutPlan_RolledBackMeanwhile(
                lab.target.toString(), "on-call decided"), lab.record().getRollback().recoveryMillis() + " ms"), failure.getMessage());
    }

    @Test
    void shiftAnalysePromoteAndBakeThenDecommissionTheOldColour() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = gated(new ShiftTrafficStep(EngineLab.SERVICE, 100));
        step.setAnalysisWindow("2s");
        step.setPromote(true);
        step.setBakeTime("2s");
        TestContext context = start(step);
        assertEquals("STABLE", context.live().awaitPhase());
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.BLUE), "the old colour is decommissioned after the bake");
        RolloutRecord r = lab.record();
        assertEquals(Color.GREEN, r.stableColor());
        String log = context.live().log();
        assertTrue(log.contains("[shiftTraffic] Bake time of 2s"), log);
        assertTrue(log.contains("decommissioned after a bake time of 2 s"), log);
    }

    /** A bake of 0 s watches nothing: the old colour is decommissioned at promotion, never rolled back as inconclusive. */
    @Test
    void aBakeOfZeroSecondsDecommissionsAtOnceWithoutWatching() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = gated(new ShiftTrafficStep(EngineLab.SERVICE, 100));
        step.setPromote(true);
        step.setBakeTime("0s");
        step.setMinEvaluations(3); // the default: a 0 s window could never hold three
        TestContext context = start(step);
        assertEquals("STABLE", context.live().awaitPhase());
        assertEquals(Color.GREEN, lab.record().stableColor(), "promoted, not rolled back");
        assertEquals(0, lab.replicas(Color.BLUE), "the old colour is decommissioned at once");
        String log = context.live().log();
        assertFalse(log.contains("inconclusive"), log);
    }

    /**
     * After promotion the old colour serves nothing, so a bake watches each gate's own threshold and leaves the
     * comparisons with the stable colour out: here green is 0.4 above blue (a comparison would fail) but below 0.5.
     */
    @Test
    void aBakeLeavesTheComparisonsWithTheStableColourOut() throws Exception {
        halfway();
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 0.4);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 0.4);
        MetricGate compared = LiveGates.gate();
        compared.setMaxAboveStable(0.2);
        compared.setJudge("mannWhitney");
        ShiftTrafficStep step = gated(new ShiftTrafficStep(EngineLab.SERVICE, 100));
        step.setGates(List.of(compared));
        step.setPromote(true);
        step.setBakeTime("4s");
        TestContext context = start(step);
        assertEquals("STABLE", context.live().awaitPhase());
        String log = context.live().log();
        assertTrue(log.contains("errors PASS 0.4"), log);
        assertFalse(log.contains("errors - stable") || log.contains("errors vs stable"), log);
        assertEquals(0, lab.replicas(Color.BLUE), "decommissioned after the bake");
    }

    @Test
    void aRestartMidBakeWaitsOutTheRestAndDecommissions() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = new ShiftTrafficStep(EngineLab.SERVICE, 100); // no Prometheus: the bake only waits
        step.setCluster("lab");
        step.setPromote(true);
        step.setBakeTime("3s");
        TestContext context = new TestContext(support.run);
        RolloutPlanExecution before = (RolloutPlanExecution) context.launch(step);
        await("the bake", () -> context.live().log().contains("Bake time of 3s"));
        before.halt();
        assertEquals(Phase.PROMOTED, lab.record().getPhase());
        Instant promotedAt = Instant.parse(lab.record().getPromotedAt());

        assertNoSecret("saved execution", new String(context.live().saved, StandardCharsets.ISO_8859_1));
        context.restart();
        assertEquals("STABLE", context.live().awaitPhase());
        assertFalse(Instant.now().isBefore(promotedAt.plusSeconds(3)), "not decommissioned before the bake time passed");
        assertEquals(0, lab.replicas(Color.BLUE));
        assertEquals(1, count(context.live().log(), "Bake time of 3s"), "the bake is not started again");
    }

    @Test
    void argumentCombinationsAreRefusedWhenTheStepStarts() throws Exception {
        ShiftTrafficStep promoteAt50 = new ShiftTrafficStep(EngineLab.SERVICE, 50);
        promoteAt50.setPromote(true);
        assertEquals("shiftTraffic: " + Messages.ShiftTrafficStep_PromoteNeeds100("50"), StepTestSupport.refusal(promoteAt50));
        ShiftTrafficStep bakeAlone = new ShiftTrafficStep(EngineLab.SERVICE, 100);
        bakeAlone.setBakeTime("1h");
        assertEquals("shiftTraffic: " + Messages.ShiftTrafficStep_BakeNeedsPromote(), StepTestSupport.refusal(bakeAlone));
        ShiftTrafficStep windowWithoutPrometheus = new ShiftTrafficStep(EngineLab.SERVICE, 5);
        windowWithoutPrometheus.setAnalysisWindow("5m");
        assertEquals("shiftTraffic: " + Messages.GatedStep_PrometheusRequired("analysisWindow"),
                StepTestSupport.refusal(windowWithoutPrometheus));
        assertEquals("verifyMetrics: " + Messages.GatedStep_PrometheusRequired("verifyMetrics"),
                StepTestSupport.refusal(new VerifyMetricsStep(EngineLab.SERVICE)));
        ShiftTrafficStep longWindow = new ShiftTrafficStep(EngineLab.SERVICE, 5);
        longWindow.setAnalysisWindow("25h");
        assertEquals("shiftTraffic: " + Messages.DurationArgument_OutOfRange("analysisWindow", "25h", "1s", "24h"),
                StepTestSupport.refusal(gated(longWindow)));
        ShiftTrafficStep longBake = new ShiftTrafficStep(EngineLab.SERVICE, 100);
        longBake.setPromote(true);
        longBake.setBakeTime("170h");
        assertTrue(StepTestSupport.refusal(longBake).startsWith("shiftTraffic: bakeTime must be from"));
        assertEquals("verifyMetrics: " + Messages.DurationArgument_Invalid("window", "soon"), StepTestSupport.refusal(verify("soon")));
        assertEquals(Duration.ofMinutes(5), DurationArgument.parse("window", new VerifyMetricsStep(EngineLab.SERVICE).getWindow()));
        assertTrue(lab.engine().status(lab.target).isEmpty(), "nothing reached the cluster");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
