package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.bluegreen.alerting.AlertMatchers;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.alerting.FiringAlert;
import io.jenkins.plugins.bluegreen.alerting.Silence;
import io.jenkins.plugins.bluegreen.config.AlertmanagerServer;
import io.jenkins.plugins.bluegreen.engine.AlertSilence;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code silence} and {@code acknowledgeOnRollback} through real step runs against a real Alertmanager on 127.0.0.1:
 * the window silence created before anything changes, extended (with a span of seconds) and expired whatever the
 * ending (success, rollback, abort, a restart in between, a rollback from another build); the acknowledgement of
 * exactly the candidate's firing alerts; bad matchers refused when the step starts.
 */
class SilencesTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-silences";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern CREATED = Pattern.compile("silence ([0-9a-f-]{36}) created in");

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    private static AlertmanagerProcess alertmanager;
    private static AlertmanagerClient client;

    private StepTestSupport support;
    private EngineLab lab;

    @BeforeAll
    static void startAlertmanager() {
        alertmanager = AlertmanagerProcess.start();
        client = new AlertmanagerClient(new AlertmanagerEndpoint(alertmanager.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));
    }

    @AfterAll
    static void stopAlertmanager() {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @BeforeEach
    void setUp() {
        support = STEPS.support();
        lab = support.lab;
        COLOURS.reset();
        support.config.setAlertmanagerServers(List.of(new AlertmanagerServer("oncall", alertmanager.url().toString())));
        // seconds, not minutes: each piece of work finds the silence near its end and extends it
        StepSilences.span = Duration.ofSeconds(4);
        StepSilences.extendBefore = Duration.ofSeconds(3);
    }

    @AfterEach
    void restoreSettings() {
        StepSilences.span = Duration.ofMinutes(30);
        StepSilences.extendBefore = Duration.ofMinutes(10);
    }

    private <S extends RolloutStep> S silencing(S step) {
        step.setAlertmanager("oncall");
        step.setSilence(Map.of("matchers", "alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"${namespace}\""));
        return step;
    }

    private ShiftTrafficStep shift(int percent, String window) {
        ShiftTrafficStep step = silencing(StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, percent), GATES));
        step.setAnalysisWindow(window);
        return step;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String createdId(String log) {
        Matcher m = CREATED.matcher(log);
        assertTrue(m.find(), log);
        return m.group(1);
    }

    private static Silence silence(String id) throws Exception {
        return client.silence(id).orElseThrow();
    }

    private void fire(String alertname, String service, Color color) {
        alertmanager.fire(Map.of("alertname", alertname, "namespace", lab.namespace, "service", service, "color",
                color.label()), Duration.ofMinutes(10));
    }

    /** The alerts of this test's namespace that fire and are not silenced, as "name service colour". */
    private Set<String> unsilenced() throws Exception {
        return client.firingAlerts(AlertMatchers.parse("namespace=\"" + lab.namespace + "\"")).stream()
                .map(FiringAlert::labels).map(l -> l.get("alertname") + " " + l.get("service") + " " + l.get("color"))
                .collect(Collectors.toSet());
    }

    private List<AlertSilence> recorded(String kind) {
        return lab.record().getSilences().stream().filter(s -> s.kind().equals(kind)).collect(Collectors.toList());
    }

    @Test
    void aHealthyRolloutSilencesItsWindowExtendsTheSilenceAndExpiresItAtTheEnd() throws Exception {
        StepTestSupport.deployCandidate(lab);
        Instant before = Instant.now();
        TestContext context = new TestContext(support.run);
        context.launch(shift(50, "8s"));
        context.live().awaitRolloutResult();
        String log = context.live().log();
        String id = createdId(log);
        assertTrue(log.contains("[shiftTraffic] silence " + id + " extended until "), log);
        assertTrue(log.indexOf("silence " + id + " created") < log.indexOf("shift to 50 %"), "created before the first change:\n" + log);
        assertTrue(log.contains("[shiftTraffic] silence " + id + " expired in Alertmanager 'oncall'"), log);

        Silence s = silence(id);
        assertEquals(Silence.State.EXPIRED, s.state());
        assertEquals("jenkins", s.createdBy());
        assertEquals("alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"" + lab.namespace + "\"",
                new AlertMatchers(s.matchers()).toString(), "only what the user wrote, placeholders filled in");
        assertTrue(s.comment().contains(lab.target.toString()), s.comment());
        assertTrue(s.comment().contains(StepTestSupport.ROOT_URL + support.run.getUrl()), s.comment());
        assertTrue(s.comment().contains("shiftTraffic"), s.comment());
        assertTrue(s.endsAt().isAfter(before.plus(Duration.ofSeconds(4))), "extended beyond its first span");

        AlertSilence window = recorded(AlertSilence.WINDOW).get(0);
        assertEquals(id, window.id());
        assertEquals("oncall", window.alertmanager());
        assertEquals(support.run.getExternalizableId(), window.owner());
        assertTrue(recorded(AlertSilence.ACK).isEmpty());
        String saved = new String(context.live().saved, StandardCharsets.ISO_8859_1);
        assertTrue(saved.contains(id), "the silence ID is saved with the step");
        assertFalse(saved.contains(TOKEN), "no secret in the saved program");
    }

    @Test
    void aRollbackAcknowledgesExactlyTheCandidatesFiringAlertsAndExpiresTheWindow() throws Exception {
        fire("PodNotReady", EngineLab.SERVICE, Color.GREEN);
        fire("HighErrorRate", EngineLab.SERVICE, Color.GREEN);
        fire("PodNotReady", EngineLab.SERVICE, Color.BLUE);
        fire("PodNotReady", "cart", Color.GREEN);
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 4);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 4);
        lab.engine().deploy(lab.manifest("1.0.0"));
        BlueGreenDeployStep step = silencing(StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS));
        step.setTrafficSteps(List.of(5, 100));
        step.setAnalysisWindow("30s");
        step.setAcknowledgeOnRollback(true);
        step.setAcknowledgeFor("20m");
        TestContext context = new TestContext(support.run);
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure.getMessage().startsWith("Rolled back " + lab.target), failure.getMessage());
        String log = context.live().log();
        String window = createdId(log);
        assertEquals(Silence.State.EXPIRED, silence(window).state(), log);

        List<AlertSilence> acks = recorded(AlertSilence.ACK);
        assertEquals(2, acks.size(), log);
        for (AlertSilence ack : acks) {
            Silence s = silence(ack.id());
            assertEquals(Silence.State.ACTIVE, s.state(), "an acknowledgement ends on its own");
            assertTrue(s.comment().contains("rolled back") && s.comment().contains("time to revert "), s.comment());
            assertTrue(s.comment().contains(lab.record().getRollback().reason()), s.comment());
            assertTrue(Duration.between(Instant.now(), s.endsAt()).compareTo(Duration.ofMinutes(19)) > 0, "for acknowledgeFor");
            assertTrue(log.contains("silence " + ack.id() + " in Alertmanager 'oncall'"), log);
        }
        assertTrue(log.contains("[blueGreenDeploy] acknowledged HighErrorRate: silence "), log);
        assertTrue(log.contains("[blueGreenDeploy] acknowledged PodNotReady: silence "), log);
        assertEquals(Set.of("PodNotReady checkout blue", "PodNotReady cart green"), unsilenced(),
                "the stable colour's and other services' alerts still fire");
        assertTrue(lab.record().getHistory().stream().anyMatch(e -> e.message().startsWith("acknowledged the candidate's alerts")),
                "the record shows the acknowledgement");
        RolloutAction action = support.run.getAction(RolloutAction.class);
        RolloutAction.Entry entry = action.getEntries().get(action.getEntries().size() - 1);
        assertTrue(entry.getEvents().stream().anyMatch(e -> e.getType().equals("silence")
                && e.getMessage().contains(acks.get(0).id())), "the build's report shows the acknowledgement");
        String buildXml = new io.jenkins.plugins.bluegreen.persistence.JenkinsXStream().toXml(action);
        assertTrue(buildXml.contains(acks.get(0).id()), "build.xml keeps it");
    }

    @Test
    void anAbortExpiresTheWindowAndAcknowledges() throws Exception {
        fire("PodNotReady", EngineLab.SERVICE, Color.GREEN);
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = shift(50, "60s");
        step.setAcknowledgeOnRollback(true);
        TestContext context = new TestContext(support.run);
        StepExecution execution = context.launch(step);
        await("the analysis", () -> context.live().log().contains("gates: errors PASS"));
        execution.stop(new FlowInterruptedException(Result.ABORTED, true, new CauseOfInterruption.UserInterruption("admin")));
        context.live().awaitFailure();
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        String log = context.live().log();
        assertEquals(Silence.State.EXPIRED, silence(createdId(log)).state(), log);
        assertEquals(1, recorded(AlertSilence.ACK).size(), log);
        assertTrue(unsilenced().isEmpty(), log);
    }

    @Test
    void aSilenceSomeoneExpiredIsNeverCreatedAgain() throws Exception {
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        context.launch(shift(50, "8s"));
        await("the silence", () -> CREATED.matcher(context.live().log()).find());
        String id = createdId(context.live().log());
        client.expireSilence(id); // the on-call lifts it by hand
        context.live().awaitRolloutResult();
        String log = context.live().log();
        assertTrue(log.contains("[shiftTraffic] silence " + id + " in Alertmanager 'oncall' was expired by someone else: "
                + "not re-created"), log);
        assertEquals(1, CREATED.matcher(log).results().count(), log);
        assertTrue(client.silences().stream().filter(s -> s.comment().contains(lab.target.toString()))
                .allMatch(Silence::isExpired), "none active for this rollout");
    }

    @Test
    void aBuildLostMidStepExpiresTheWindow() throws Exception {
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        context.launch(shift(50, "60s"));
        await("the analysis", () -> context.live().log().contains("gates: errors PASS"));
        support.run.setResult(Result.FAILURE);
        support.run.finish(); // the build ends; Jenkins does not call stop()
        context.live().awaitFailure();
        String log = context.live().log();
        assertEquals(Silence.State.EXPIRED, silence(createdId(log)).state(), log);
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aRestartInBetweenKeepsTheSilenceAndExpiresItAtTheEnd() throws Exception {
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        context.launch(shift(50, "6s"));
        await("the analysis", () -> context.live().log().contains("analysis for"));
        String id = createdId(context.live().log());
        ((ClusterStepExecution) context.live().execution).halt();
        StepExecution after = context.restart(); // read back with River, as a restarted controller does
        assertEquals(id, ((RolloutPlanExecution) after).silences().windowId());
        context.live().awaitRolloutResult();
        String log = context.live().log();
        assertEquals(1, CREATED.matcher(log).results().count(), "not created again:\n" + log);
        assertEquals(Silence.State.EXPIRED, silence(id).state(), log);
    }

    @Test
    void aRollbackFromAnotherBuildExpiresTheWindowSilence() throws Exception {
        StepSilences.span = Duration.ofMinutes(2); // outlives the halted step
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        context.launch(shift(50, "60s"));
        await("the analysis", () -> context.live().log().contains("gates: errors PASS"));
        String id = createdId(context.live().log());
        ((ClusterStepExecution) context.live().execution).halt(); // its controller died: it cannot expire it
        assertEquals(Silence.State.ACTIVE, silence(id).state());

        TestRun other = new TestJob(support.jenkins, "checkout-rollback").newBuild();
        RollbackStep rollback = new RollbackStep(EngineLab.SERVICE);
        rollback.setCluster("lab");
        TestContext rollbackContext = new TestContext(other);
        rollbackContext.launch(rollback);
        rollbackContext.live().awaitRolloutResult();
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertEquals(Silence.State.EXPIRED, silence(id).state(), rollbackContext.live().log());
        assertTrue(rollbackContext.live().log().contains("[rollback] silence " + id + " expired in oncall"),
                rollbackContext.live().log());
    }

    @Test
    void anAlertmanagerThatGoesAwayNeverHoldsUpTheRollout() throws Exception {
        StepTestSupport.deployCandidate(lab);
        TestContext context = new TestContext(support.run);
        try (AlertmanagerProcess flaky = AlertmanagerProcess.start()) {
            support.config.setAlertmanagerServers(List.of(new AlertmanagerServer("flaky", flaky.url().toString())));
            ShiftTrafficStep step = shift(50, "8s");
            step.setAlertmanager("flaky");
            context.launch(step);
            await("the silence", () -> CREATED.matcher(context.live().log()).find());
            flaky.close(); // gone for the rest of the step: no extension, no expiry
            assertEquals("SHIFTED", context.live().awaitPhase(), context.live().log());
        }
        String log = context.live().log();
        assertTrue(log.contains("[shiftTraffic] could not extend silence "), log);
        assertTrue(log.contains("[shiftTraffic] could not expire silence "), log);
        assertTrue(log.contains("; it ends on its own at "), log);
        long tries = Pattern.compile("could not extend silence").matcher(log).results().count();
        assertTrue(tries <= 12, "retried after a pause, not in a loop: " + tries + " tries in 8 s");
    }

    @Test
    void aSilenceThatCannotBeCreatedRefusesTheStepBeforeAnythingChanges() throws Exception {
        StepTestSupport.deployCandidate(lab);
        RolloutRecord before = lab.record();
        ShiftTrafficStep step = shift(50, "6s");
        step.setAlertmanager(null);
        step.setAlertmanagerUrl("http://127.0.0.1:1");
        TestContext context = new TestContext(support.run);
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure.getMessage().startsWith("shiftTraffic could not create its silence in Alertmanager http://127.0.0.1:1"),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("nothing was changed"), failure.getMessage());
        assertEquals(before.getPhase(), lab.record().getPhase());
        assertEquals(before.getWeights(), lab.liveWeights());
    }

    @Test
    void anUnknownAlertmanagerRefusesAnAcknowledgingStepBeforeAnythingChanges() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, 50), GATES);
        step.setAnalysisWindow("6s");
        step.setAlertmanager("nope");
        step.setAcknowledgeOnRollback(true);
        TestContext context = new TestContext(support.run);
        context.launch(step);
        Throwable failure = context.live().awaitFailure();
        assertEquals("shiftTraffic: There is no Alertmanager named 'nope'. Configured Alertmanagers: oncall.", failure.getMessage());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void badSilenceArgumentsAreRefusedWhenTheStepStarts() {
        ShiftTrafficStep everything = shift(50, "6s");
        everything.setSilence(Map.of("matchers", "alertname=~\".*\""));
        assertTrue(StepTestSupport.refusal(everything).startsWith("shiftTraffic: silence.matchers: the alert matchers "
                + "alertname=~\".*\" select every alert"), StepTestSupport.refusal(everything));
        ShiftTrafficStep empty = shift(50, "6s");
        empty.setSilence(Map.of("matchers", " "));
        assertEquals("shiftTraffic: silence.matchers: it is empty", StepTestSupport.refusal(empty));
        ShiftTrafficStep unknown = shift(50, "6s");
        unknown.setSilence(Map.of("matcher", "namespace=\"shop\""));
        assertEquals("shiftTraffic: silence: unknown key matcher (known: matchers)", StepTestSupport.refusal(unknown));
        ShiftTrafficStep notText = shift(50, "6s");
        notText.setSilence(Map.of("matchers", List.of("namespace=\"shop\"")));
        assertEquals("shiftTraffic: silence: matchers must be text", StepTestSupport.refusal(notText));
        ShiftTrafficStep noAlertmanager = shift(50, "6s");
        noAlertmanager.setAlertmanager(null);
        assertTrue(StepTestSupport.refusal(noAlertmanager).contains("need an Alertmanager"));
        ShiftTrafficStep both = shift(50, "6s");
        both.setAlertmanagerUrl("http://127.0.0.1:9093");
        assertTrue(StepTestSupport.refusal(both).contains("not both"));
        BlueGreenDeployStep badAck = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.0", GATES, COLOURS);
        badAck.setAlertmanager("oncall");
        badAck.setAcknowledgeOnRollback(true);
        badAck.setAcknowledgeMatchers("severity!=\"none\"");
        assertTrue(StepTestSupport.refusal(badAck).startsWith("blueGreenDeploy: acknowledgeMatchers: "), StepTestSupport.refusal(badAck));
        ShiftTrafficStep badPlaceholder = shift(50, "6s");
        badPlaceholder.setSilence(Map.of("matchers", "namespace=\"${cluster}\""));
        assertNotEquals("", StepTestSupport.refusal(badPlaceholder));
        assertNotNull(StepTestSupport.refusal(badPlaceholder));
    }
}
