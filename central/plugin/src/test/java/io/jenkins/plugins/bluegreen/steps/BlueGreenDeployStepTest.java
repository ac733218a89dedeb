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
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blueGreenDeploy} against the mock API server with the simulated control plane, gates on live data and smoke
 * tests against a local server standing in for each colour's Service.
 */
class BlueGreenDeployStepTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-deploy";
    private static final String IMAGE = "registry.example.com/shop/checkout:2.0.0";

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
        COLOURS.reset();
        lab.engine().deploy(lab.manifest("1.0.0")); // blue serves
    }

    private BlueGreenDeployStep step() {
        return StepTestSupport.deployStep(IMAGE, GATES, COLOURS);
    }

    private TestContext start(Step step) throws Exception {
        TestContext context = new TestContext(support.run);
        context.launch(step);
        return context;
    }

    private void assertNoSecret(String where, String text) {
        assertFalse(text.contains(TOKEN), "the cluster token is not in the " + where);
        assertFalse(text.contains(StepTestSupport.PROMETHEUS_TOKEN), "the Prometheus token is not in the " + where);
    }

    private RolloutAction.Entry entry() {
        RolloutAction action = support.run.getAction(RolloutAction.class);
        assertNotNull(action);
        assertEquals(1, action.getEntries().size());
        return action.getEntries().get(0);
    }

    @Test
    void theWholeRolloutDeploysSmokeTestsShiftsWatchesPromotesBakesAndDecommissions() throws Exception {
        BlueGreenDeployStep step = step();
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("2s");
        step.setBakeTime("1s");
        TestContext context = start(step);

        RolloutResult result = context.live().awaitRolloutResult();
        assertEquals("STABLE", result.getPhase());
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.BLUE), "the old colour is decommissioned after the bake");
        RolloutRecord r = lab.record();
        assertEquals(Phase.STABLE, r.getPhase());
        assertEquals(IMAGE, r.getStable().image());

        String log = context.live().log();
        for (String part : List.of("[blueGreenDeploy] preflight: gates answer for blue: errors = 0",
                "[blueGreenDeploy] smoke: smoke test GET /healthz on checkout-green: 200 in ",
                "[blueGreenDeploy] traffic: traffic now blue 50 % / green 50 %", "[blueGreenDeploy] gates: errors PASS",
                "all gates passed over 2 s", "green promoted", "decommissioned after a bake time of 1 s")) {
            assertTrue(log.contains(part), part + " in\n" + log);
        }
        assertTrue(log.indexOf("smoke test GET") < log.indexOf("traffic now"), "smoke tests pass before any traffic moves");
        assertNoSecret("log", log);
        RolloutAction.Entry e = entry();
        assertEquals("STABLE", e.getOutcome());
        assertEquals(List.of("traffic now blue 50 % / green 50 %", "traffic now blue 0 % / green 100 %"), e.getWeights().stream()
                .map(RolloutAction.Event::getMessage).filter(m -> m.startsWith("traffic now")).toList());
        assertFalse(e.getGates().isEmpty());
        e.getEvents().forEach(ev -> assertNoSecret("action", ev.getMessage()));
        assertTrue(support.contextualizedFor.contains(support.run), "credentials looked up with the build");

        // A promotion: no reason, gate or time to revert; the version now serving, the old one decommissioned.
        assertEquals(List.of("green", IMAGE, "blue"), List.of(result.getCandidateColor(), result.getCandidateImage(),
                result.getStableColor()));
        assertNull(result.getStableImage(), "the record forgets the old image once its colour is decommissioned");
        assertEquals(Arrays.asList(null, null, null, null), Arrays.asList(result.getReason(), result.getGate(), result.getValue(),
                result.getTimeToRevertMillis()));
        assertEquals(StepTestSupport.ROOT_URL + support.run.getUrl() + "blue-green-rollout/", result.getReportUrl());
        assertNoSecret("result", RolloutResultTest.describe(result));
    }

    @Test
    void aRestartMidRolloutContinuesFromTheSavedStageWithoutASecretInTheSavedState() throws Exception {
        BlueGreenDeployStep step = step();
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("3s");
        TestContext context = new TestContext(support.run);
        RolloutPlanExecution before = (RolloutPlanExecution) context.launch(step);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!context.live().log().contains("gates: errors PASS")) {
            assertTrue(Instant.now().isBefore(deadline), "the first analysis window began");
            Thread.sleep(50);
        }
        before.halt(); // the controller dies during the first analysis window

        byte[] bytes = context.live().saved; // the program as the Pipeline last saved it
        String saved = new String(bytes, StandardCharsets.ISO_8859_1);
        assertNoSecret("saved execution", saved);
        assertFalse(saved.contains("KubernetesClient") || saved.contains("PrometheusClient"), "no client is saved");
        context.restart();

        RolloutResult promoted = context.live().awaitRolloutResult();
        assertEquals("PROMOTED", promoted.getPhase(), "no bake time: promoted, the old colour still up");
        assertEquals(List.of(IMAGE, "registry.example.com/shop/checkout:1.0.0"), List.of(promoted.getCandidateImage(),
                promoted.getStableImage()), "both versions while the old colour is kept");
        String log = context.live().log();
        assertEquals(1, log.split("smoke test GET /healthz", -1).length - 1, "neither deployed nor smoke-tested again: " + log);
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals(3, lab.replicas(Color.BLUE), "kept for a later bake and decommission");
        assertEquals(1, context.live().completions.get());
    }

    @Test
    void aFailingSmokeTestRollsBackBeforeAnyTrafficMovesAndMarksTheStageUnstable() throws Exception {
        COLOURS.answer("green", 503);
        BlueGreenDeployStep step = step();
        step.setTrafficSteps(List.of(5, 100));
        step.setFailOnRollback(false);
        TestContext context = start(step);

        RolloutResult result = context.live().awaitRolloutResult();
        assertEquals("ROLLED_BACK", result.getPhase());
        assertTrue(result.getReason().contains("expected status 200, got 503"), result.getReason());
        assertNull(result.getGate(), "a smoke test, not a gate, rolled it back");
        assertNotNull(result.getTimeToRevertMillis());
        WarningAction warning = context.live().node.getPersistentAction(WarningAction.class);
        assertNotNull(warning);
        assertSame(Result.UNSTABLE, warning.getResult());
        assertTrue(warning.getMessage().contains("expected status 200, got 503"), warning.getMessage());
        assertSame(Result.UNSTABLE, support.run.getResult());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertFalse(context.live().log().contains("traffic now"), "no traffic moved");
        assertEquals("ROLLED_BACK", entry().getOutcome());
    }

    @Test
    void aBreachDuringTheCanaryRollsBackAndFailsTheStep() throws Exception {
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 4);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 4);
        BlueGreenDeployStep step = step();
        step.setTrafficSteps(List.of(5, 100));
        step.setAnalysisWindow("30s");
        Throwable failure = start(step).live().awaitFailure();

        assertInstanceOf(AbortException.class, failure);
        assertTrue(failure.getMessage().startsWith("Rolled back " + lab.target + ": gate failed: errors FAIL"), failure.getMessage());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertTrue(lab.record().getHistory().stream().anyMatch(ev -> ev.message().equals("traffic now blue 95 % / green 5 %")),
                "the canary got its 5 % first");
        assertNotNull(entry().getRecoveryMillis());
    }

    @Test
    void aManifestFromTheWorkspaceIsDeployedAndWaitsForTraffic(@TempDir Path workspace) throws Exception {
        Files.createDirectories(workspace.resolve("k8s"));
        Files.writeString(workspace.resolve("k8s/checkout.yaml"), manifest("2.1.0"));
        BlueGreenDeployStep step = step();
        step.setImage(null);
        step.setManifest("k8s/checkout.yaml");
        TestContext context = new TestContext(support.run);
        context.live().workspace = new FilePath(workspace.toFile());
        context.launch(step);

        assertEquals("READY", context.live().awaitPhase(), "no traffic plan: deployed, smoke-tested, no traffic");
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals("registry.example.com/shop/checkout:2.1.0", lab.record().getCandidate().image());

        BlueGreenDeployStep missing = step();
        missing.setImage(null);
        missing.setManifest("k8s/nothing-here.yaml");
        TestContext other = new TestContext(support.run);
        other.live().workspace = new FilePath(workspace.toFile());
        other.launch(missing);
        assertEquals(Messages.BlueGreenDeployStep_ManifestMissing("k8s/nothing-here.yaml"), other.live().awaitFailure().getMessage());

        TestContext noNode = new TestContext(support.run);
        noNode.launch(missing);
        assertEquals(Messages.BlueGreenDeployStep_NoWorkspace("k8s/nothing-here.yaml"), noNode.live().awaitFailure().getMessage());
        assertEquals(Phase.READY, lab.record().getPhase(), "the failed deploys changed nothing");
    }

    @Test
    void aGateWithoutDataForTheServingColourStopsTheDeployBeforeAnythingChanges() throws Exception {
        MetricGate wrong = new MetricGate("typo");
        wrong.setQuery("max(lab_errorz{namespace=\"${namespace}\",color=\"${color}\"})");
        wrong.setThreshold(1.0);
        BlueGreenDeployStep step = step();
        step.setGates(List.of(wrong));
        step.setTrafficSteps(List.of(100));
        Throwable failure = start(step).live().awaitFailure();
        assertTrue(failure.getMessage().contains("gate typo finds no series for the serving colour blue"), failure.getMessage());
        assertNull(STEPS.mock().client.apps().deployments().inNamespace(lab.namespace).withName("checkout-green").get(),
                "no candidate was deployed");
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void smokeTestsGoThroughTheApiServersServiceProxyToTheCandidatesApp() throws Exception {
        // The default way in: the API server's service proxy to the candidate's Service, which the mock answers by
        // passing the request to the server playing the colour's pods (503 when nothing is behind it).
        STEPS.mock().pods.register(lab.namespace, Map.of("app", EngineLab.SERVICE, Workloads.COLOR_LABEL, "green"),
                COLOURS.url("green"));
        BlueGreenDeployStep step = step();
        step.setSmokeTestBaseUrl(null);
        TestContext context = start(step);
        assertEquals("READY", context.live().awaitPhase(), context.live().log());
        assertTrue(COLOURS.hits("green") > 0, "the candidate's app answered the smoke test");
        assertEquals(0, COLOURS.hits("blue"), "never the serving colour");
        assertTrue(context.live().log().contains("GET /healthz"), context.live().log());

        // Nothing behind green's Service: the proxy answers 503, the smoke test fails, the candidate goes.
        STEPS.mock().pods.unregister(lab.namespace, Map.of("app", EngineLab.SERVICE, Workloads.COLOR_LABEL, "green"));
        BlueGreenDeployStep again = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.1", GATES, COLOURS);
        again.setSmokeTestBaseUrl(null);
        Throwable failure = start(again).live().awaitFailure();
        assertTrue(failure.getMessage().contains("503"), failure.getMessage());
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void argumentsAreCheckedBeforeAnythingRuns() {
        BlueGreenDeployStep s = new BlueGreenDeployStep("checkout");
        assertEquals("istio", s.getRouter());
        assertEquals(10, s.getDbHeadroomPercent());
        assertTrue(s.isFailOnRollback());
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_SourceRequired(), StepTestSupport.refusal(s));
        s.setImage(IMAGE);
        s.setManifest("k8s/app.yaml");
        StepTestSupport.refusal(s);
        s.setManifest(null);
        assertEquals(1, BlueGreenDeployPlan.stages(s).size(), "deploy only");
        s.setBakeTime("1h");
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_BakeNeedsSteps(), StepTestSupport.refusal(s));
        s.setTrafficSteps(List.of(5, 50, 100));
        assertEquals(List.of("deploy", "shift to 5 %", "shift to 50 %", "shift to 100 %", "promote", "bake time of 1h",
                "decommission"), BlueGreenDeployPlan.stages(s).stream().map(Object::toString).toList(), "without a Prometheus: no analysis");
        s.setPrometheus("main");
        assertEquals(List.of("deploy", "shift to 5 %", "analysis for 5m", "shift to 50 %", "analysis for 5m", "shift to 100 %",
                "analysis for 5m", "promote", "bake time of 1h", "decommission"), BlueGreenDeployPlan.stages(s).stream().map(Object::toString).toList());
        s.setRouter("service");
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_SelectorAllOrNothing("[5, 50, 100]"), StepTestSupport.refusal(s));
        s.setContainer("app");
        s.setImage(null);
        s.setManifest("k8s/app.yaml");
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_ContainerNeedsImage(), StepTestSupport.refusal(s));

        BlueGreenDeployStep.DescriptorImpl d = new BlueGreenDeployStep.DescriptorImpl();
        assertEquals("blueGreenDeploy", d.getFunctionName());
        assertEquals("checkout \u2190 " + IMAGE + " [5, 50, 100] %",
                d.argumentsToString(Map.of("service", "checkout", "image", IMAGE, "trafficSteps", List.of(5, 50, 100))));
    }

    static String manifest(String tag) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  labels: {app: checkout}\nspec:\n"
                + "  replicas: 3\n  selector:\n    matchLabels: {app: checkout}\n  template:\n    metadata:\n"
                + "      labels: {app: checkout}\n    spec:\n      containers:\n      - name: app\n"
                + "        image: registry.example.com/shop/checkout:" + tag + "\n";
    }
}
