package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.helm.TestCharts;
import io.jenkins.plugins.bluegreen.metrics.AnalysisLog;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.ProgramState;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step's execution, at every stage, is saved as Pipeline saves a running program (JBoss Marshalling River, as
 * workflow-support writes {@code program.dat}), read back, and resumed: the controller is restarted after the first
 * save in each stage, and the rollout still ends as an uninterrupted one would. A type River cannot write (a record
 * whose accessors it cannot reach) fails the save, which fails the build: on today's real Jenkins that was
 * {@code blueGreenDeploy}'s first save.
 */
class ProgramSaveTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-program";

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
    }

    /**
     * A controller that restarts after the first save of each stage: the running execution is halted (its piece in
     * flight ends first, as nothing runs on a dead controller), and the program as last saved is read back with River
     * and resumed.
     */
    static final class RestartAtEveryStage implements Consumer<byte[]>, AutoCloseable {
        private final TestContext context;
        private final ExecutorService controller = Executors.newSingleThreadExecutor();
        final Set<Integer> restartedAt = ConcurrentHashMap.newKeySet();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        RestartAtEveryStage(TestContext context) {
            this.context = context;
            context.live().onSave = this;
        }

        @Override
        public void accept(byte[] saved) {
            StepExecution e = context.live().execution;
            int stage = e instanceof RolloutPlanExecution ? ((RolloutPlanExecution) e).stageIndex() : 0;
            if (restartedAt.add(stage)) {
                controller.submit(() -> {
                    try {
                        ((ClusterStepExecution) context.live().execution).halt();
                        context.restart();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
        }

        @Override
        public void close() {
            controller.shutdownNow();
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError("a restart failed", t);
            }
        }
    }

    private RestartAtEveryStage launchRestartingEveryStage(TestContext context, Step step) throws Exception {
        RestartAtEveryStage restarts = new RestartAtEveryStage(context);
        context.launch(step);
        return restarts;
    }

    private static Set<Integer> allStages(int planSize) {
        return IntStream.rangeClosed(0, planSize).boxed().collect(Collectors.toSet());
    }

    @Test
    void blueGreenDeploySurvivesARestartAtEveryStage() throws Exception {
        lab.engine().deploy(lab.manifest("1.0.0"));
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("2s");
        step.setBakeTime("2s");
        int stages = BlueGreenDeployPlan.stages(step).size();
        assertEquals(9, stages, "deploy, smoke, 2 shifts and analyses, promote, bake, decommission");
        TestContext context = new TestContext(support.run);
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            assertEquals("STABLE", context.live().awaitPhase());
            assertEquals(allStages(stages), restarts.restartedAt, "restarted at every stage, and once done");
        }
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.BLUE), "decommissioned after the bake");
        assertEquals(Phase.STABLE, lab.record().getPhase());
        assertEquals(1, context.live().completions.get());
        assertNoSecret(context.live().saved);
    }

    /**
     * With a Helm chart: the saved state holds the chart's and the values file's paths and the set values as written;
     * a restart during the deploy renders the chart again from the workspace.
     */
    @Test
    void blueGreenDeployOfAHelmChartSurvivesARestartAtEveryStage(@TempDir Path workspace) throws Exception {
        lab.engine().deploy(lab.manifest("1.0.0"));
        TestCharts.checkout(workspace.resolve("charts/checkout"));
        TestCharts.write(workspace, "values-prod.yaml", "replicaCount: 2\n");
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        step.setImage(null);
        step.setHelmChart(HelmChartStepTest.chart("charts/checkout", Map.of("image.tag", "2.3.0")));
        step.setTrafficSteps(List.of(100));
        step.setAnalysisWindow("2s");
        step.setBakeTime("1s");
        int stages = BlueGreenDeployPlan.stages(step).size();
        TestContext context = new TestContext(support.run);
        context.live().workspace = new FilePath(workspace.toFile());
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            assertEquals("STABLE", context.live().awaitPhase());
            assertEquals(allStages(stages), restarts.restartedAt);
        }
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals("registry.example.com/shop/checkout:2.3.0", lab.record().getStable().image());
        HelmChart restored = ProgramState.roundTrip(step.getHelmChart(), HelmChart.class);
        assertEquals("charts/checkout", restored.getChart());
        assertEquals(List.of("values-prod.yaml"), restored.getValues());
        assertEquals(Map.of("image.tag", "2.3.0"), restored.getSet());
        assertEquals("environment", restored.getColorValue());
        assertNoSecret(context.live().saved);
    }

    @Test
    void shiftTrafficWithAnalysisPromotionAndBakeSurvivesARestartAtEveryStage() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, 100), GATES);
        step.setAnalysisWindow("2s");
        step.setWarmUp("5s"); // the warm-up and the evaluations with data are part of the saved analysis
        step.setMinEvaluations(2);
        step.setPromote(true);
        step.setBakeTime("2s");
        TestContext context = new TestContext(support.run);
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            assertEquals("STABLE", context.live().awaitPhase());
            assertEquals(allStages(step.plan().size()), restarts.restartedAt);
        }
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.BLUE));
        assertNoSecret(context.live().saved);
    }

    @Test
    void verifyMetricsSurvivesARestartAtEveryStage() throws Exception {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        step.setWindow("2s");
        TestContext context = new TestContext(support.run);
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            assertEquals("SHIFTED", context.live().awaitPhase());
            assertEquals(allStages(1), restarts.restartedAt);
        }
        assertEquals(new Weights(50, 50), lab.liveWeights());
        assertNoSecret(context.live().saved);
    }

    @Test
    void rollbackSurvivesARestart() throws Exception {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        RollbackStep step = new RollbackStep(EngineLab.SERVICE);
        step.setCluster("lab");
        step.setReason("on-call decided");
        TestContext context = new TestContext(support.run);
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            RolloutResult result = context.live().awaitRolloutResult();
            assertEquals(List.of("ROLLED_BACK", "on-call decided"), List.of(result.getPhase(), result.getReason()));
            assertEquals(Set.of(0), restarts.restartedAt);
        }
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertEquals("on-call decided", lab.record().getRollback().reason());
        assertNoSecret(context.live().saved);
    }

    /**
     * The {@code notify} argument is saved with the step as IDs, events and formats (never a webhook URL, which is read
     * from the credentials for each message), and a step with it survives a restart at every stage.
     */
    @Test
    void theNotifyArgumentSurvivesRiverWithoutItsWebhookUrl() throws Exception {
        ChatNotification chat = new ChatNotification("prod-alerts-webhook");
        chat.setOn(List.of("rollback", "promoted"));
        chat.setFormat("teams");
        ChatNotification restored = ProgramState.roundTrip(chat, ChatNotification.class);
        assertEquals("prod-alerts-webhook", restored.getCredentialsId());
        assertEquals(List.of("rollback", "promoted"), restored.getOn());
        assertEquals("teams", restored.getFormat());
        StepNotifications notifications = ProgramState.roundTrip(new StepNotifications(List.of(chat, new ChatNotification("json-hook"))),
                StepNotifications.class);
        assertEquals(2, notifications.targets().size());
        assertTrue(notifications.wants(NotificationEvent.PROMOTED));
        assertTrue(notifications.wants(NotificationEvent.FAILED), "the second one's default: rollback and failed");
        assertFalse(notifications.wants(NotificationEvent.STARTED));

        String webhook = "https://hooks.example.com/services/T000/B000/" + TOKEN + "-hook";
        support.credentials.add(io.jenkins.plugins.bluegreen.testkit.TestCredentials.secretText("chat-hook", webhook));
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        step.setWindow("2s");
        ChatNotification failures = new ChatNotification("chat-hook");
        failures.setOn(List.of("failed")); // a healthy window sends nothing
        step.setNotify(List.of(failures));
        TestContext context = new TestContext(support.run);
        try (RestartAtEveryStage restarts = launchRestartingEveryStage(context, step)) {
            assertEquals("SHIFTED", context.live().awaitPhase());
            assertEquals(allStages(1), restarts.restartedAt);
        }
        String saved = new String(context.live().saved, StandardCharsets.ISO_8859_1);
        assertTrue(saved.contains("chat-hook"), "the ID is saved");
        assertFalse(saved.contains(webhook) || saved.contains("hooks.example.com"), "the webhook URL is not");
        assertNoSecret(context.live().saved);
    }

    /**
     * The analysis state added for production scrape intervals, as River saves it with a running window: warm-ups, the
     * window's start, evaluations with data, the trafficShare check, the stable comparisons and the statistical judge
     * (with where its finding began), the round log, and the gate arguments that build them.
     */
    @Test
    void theAnalysisStateOfAWindowSurvivesRiver() throws Exception {
        RolloutTarget target = new RolloutTarget("shop", "checkout");
        MetricGate p95 = new MetricGate("p95Latency");
        p95.setMaxTimesStable(1.2);
        p95.setMaxAboveStable(0.1);
        p95.setJudge("mannWhitney");
        p95.setJudgeConfidence(0.99);
        p95.setJudgeTolerance(0.2);
        MetricGate share = new MetricGate("trafficShare");
        share.setMinRequests(50);
        List<Gate> gates = GatedStep.analysisGates(List.of(p95, share), target, Color.GREEN, true);
        GateAnalysis analysis = GateAnalysis.forWindow(gates, Duration.ofSeconds(30), null, 4);
        p95.configure(analysis, target, Color.GREEN, 5);
        share.configure(analysis, target, Color.GREEN, 5);
        PrometheusClient nowhere = new PrometheusClient(PrometheusEndpoint.of("http://127.0.0.1:1", null, Duration.ofSeconds(1)),
                HttpTransport.of(HttpClient.newBuilder()));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        AnalysisLog log = new AnalysisLog();
        log.round(analysis.tick(nowhere, t0), t0);

        GateAnalysis restored = ProgramState.roundTrip(analysis, GateAnalysis.class);
        // the judge's: 2 × 30 s + the 1 min rate window, and 5 more intervals of 10 s to gather six samples
        assertEquals(Duration.ofSeconds(170), restored.longestWarmUp());
        assertEquals(4, restored.minEvaluations());
        assertEquals(analysis.inconclusiveSummary(), restored.inconclusiveSummary());
        assertEquals(1, restored.consecutiveInconclusive("trafficShare"));
        assertEquals(1, restored.consecutiveInconclusive("p95Latency vs stable"), "Prometheus unreachable: provider error");
        assertEquals(List.of("p95Latency", "p95Latency - stable", "p95Latency / stable", "p95Latency vs stable", "trafficShare"),
                restored.gates().stream().map(Gate::name).collect(Collectors.toList()));
        assertEquals(0.99, restored.gates().get(3).threshold(), "the judge's confidence");
        AnalysisLog restoredLog = ProgramState.roundTrip(log, AnalysisLog.class);
        assertEquals(log.summary(t0), restoredLog.summary(t0));
        MetricGate restoredGate = ProgramState.roundTrip(p95, MetricGate.class);
        assertEquals(1.2, restoredGate.getMaxTimesStable());
        assertEquals(0.1, restoredGate.getMaxAboveStable());
        assertEquals("mannWhitney", restoredGate.getJudge());
        assertEquals(0.99, restoredGate.getJudgeConfidence());
        assertEquals(0.2, restoredGate.getJudgeTolerance());
        assertEquals(50, ProgramState.roundTrip(share, MetricGate.class).getMinRequests());
        MetricGate alerts = new MetricGate("alerts");
        alerts.setAlerts("severity=\"critical\",service=\"${service}\"");
        assertEquals("severity=\"critical\",service=\"${service}\"", ProgramState.roundTrip(alerts, MetricGate.class).getAlerts());
    }

    private static void assertNoSecret(byte[] saved) {
        String text = new String(saved, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(TOKEN), "the cluster token is not in the saved program");
        assertFalse(text.contains(StepTestSupport.PROMETHEUS_TOKEN), "the Prometheus token is not in the saved program");
        assertTrue(text.contains(EngineLab.SERVICE), "the step's arguments are");
    }
}
