package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.AbortException;
import hudson.model.Result;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.SimulatedControlPlane;
import io.jenkins.plugins.bluegreen.notify.WebhookReceiver;
import io.jenkins.plugins.bluegreen.notify.WebhookSender;
import io.jenkins.plugins.bluegreen.persistence.JenkinsXStream;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code notify: [chat(...)]} through real step runs: the mock API server with its simulated control plane, gates on a
 * real Prometheus, and a webhook receiver on 127.0.0.1 that captures each message. What each form says for a
 * rollback and a promotion, that every bad ending is announced, that a webhook that fails or hangs never holds up the
 * rollback, that bad arguments and credentials are refused when the step starts, and that the webhook URL (the secret)
 * is nowhere: not in the build log, the rollout record, the saved program or build.xml.
 */
class NotificationsTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-notify";
    private static final String IMAGE = "registry.example.com/shop/checkout:2.0.0";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    @RegisterExtension
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    private StepTestSupport support;
    private EngineLab lab;

    @BeforeEach
    void setUp() throws Exception {
        support = STEPS.support();
        lab = support.lab;
        COLOURS.reset();
        RECEIVER.reset();
        for (String hook : List.of("slack", "teams", "json", "broken", "hanging")) {
            support.credentials.add(TestCredentials.secretText(hook + "-hook", RECEIVER.url(hook)));
        }
        support.credentials.add(TestCredentials.usernamePassword("not-a-hook", "alerts", "pa55word"));
        support.credentials.add(TestCredentials.secretText("plain-http-hook", "http://hooks.example.com/services/" + WebhookReceiver.SECRET));
        lab.engine().deploy(lab.manifest("1.0.0")); // blue serves 1.0.0
    }

    private static ChatNotification chat(String credentialsId, String format, String... on) {
        ChatNotification c = new ChatNotification(credentialsId);
        c.setFormat(format);
        if (on.length > 0) {
            c.setOn(List.of(on));
        }
        return c;
    }

    /** Slack, Teams and JSON receivers, each for the given events. */
    private static List<ChatNotification> allForms(String... on) {
        return List.of(chat("slack-hook", "slack", on), chat("teams-hook", "teams", on), chat("json-hook", "json", on));
    }

    private TestContext start(Step step) throws Exception {
        TestContext context = new TestContext(support.run);
        context.launch(step);
        return context;
    }

    private static JsonNode event(String hook, String event) throws InterruptedException {
        return RECEIVER.await(hook, r -> r.body().contains(event), WAIT).json();
    }

    private static JsonNode json(String event) throws InterruptedException {
        return RECEIVER.await("json", r -> r.json().path("event").asText().equals(event), WAIT).json();
    }

    private String buildUrl() {
        return "https://jenkins.example.com/job/checkout-deploy/" + support.run.getNumber() + "/";
    }

    /** The webhook URL is the secret: nowhere in the log, the record in the cluster, the saved program or build.xml. */
    private void assertNoWebhookUrl(TestContext context) {
        assertFalse(context.live().log().contains(WebhookReceiver.SECRET), "not in the build log:\n" + context.live().log());
        String record = String.valueOf(STEPS.mock().client.configMaps().inNamespace(lab.namespace)
                .withName(EngineLab.SERVICE + "-bluegreen-rollout").get().getData());
        assertFalse(record.contains(WebhookReceiver.SECRET), "not in the rollout record");
        byte[] saved = context.live().saved;
        assertTrue(saved != null && new String(saved, StandardCharsets.ISO_8859_1).contains("-hook"), "the IDs are saved");
        assertFalse(new String(saved, StandardCharsets.ISO_8859_1).contains(WebhookReceiver.SECRET), "not in the saved program");
        RolloutAction action = support.run.getAction(RolloutAction.class);
        String buildXml = new JenkinsXStream().toXml(action);
        assertFalse(buildXml.contains(WebhookReceiver.SECRET), "not in build.xml");
        assertFalse(buildXml.contains("127.0.0.1:" + RECEIVER.port()), "not in build.xml");
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

    // ---- what each form says ---------------------------------------------------------------------------------

    @Test
    void aBreachIsAnnouncedInEachFormOnceTheTrafficIsBack() throws Exception {
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 4);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 4);
        BlueGreenDeployStep step = StepTestSupport.deployStep(IMAGE, GATES, COLOURS);
        step.setTrafficSteps(List.of(5, 100));
        step.setAnalysisWindow("30s");
        List<ChatNotification> notify = new ArrayList<>(allForms());
        notify.set(2, chat("json-hook", "json", "started", "rollback"));
        step.setNotify(notify);
        TestContext context = start(step);
        Throwable failure = context.live().awaitFailure();
        assertTrue(failure.getMessage().startsWith("Rolled back " + lab.target + ": gate failed: errors FAIL"), failure.getMessage());
        RolloutRecord r = lab.record();
        long timeToRevert = r.getRollback().recoveryMillis();

        String slack = event("slack", "Rollback initiated").path("text").asText();
        for (String part : List.of("<!here> *Rollback initiated \u2013 checkout green degraded*\nTraffic is back on blue; green is scaled to zero.",
                "*Service:* checkout in " + lab.namespace, "*From:* 1.0.0 (blue)", "*To:* 2.0.0 (green)", "*Phase:* ROLLED_BACK",
                "*Reason:* gate failed: errors FAIL", "*Gate:* errors: value 4 (fails when &gt; 0.5)",
                "*Time to revert:* " + timeToRevert + " ms", "*Step:* blueGreenDeploy in checkout-deploy#" + support.run.getNumber(),
                "<" + buildUrl() + "|Build checkout-deploy#" + support.run.getNumber() + ">",
                "<" + buildUrl() + "blue-green-rollout/|Rollout report>")) {
            assertTrue(slack.contains(part), part + " in\n" + slack);
        }

        JsonNode card = event("teams", "Rollback initiated").path("attachments").get(0).path("content");
        assertEquals("Rollback initiated \u2013 checkout green degraded", card.path("body").get(0).path("text").asText());
        assertEquals("Attention", card.path("body").get(0).path("color").asText());
        assertTrue(card.toString().contains("{\"title\":\"Time to revert\",\"value\":\"" + timeToRevert + " ms\"}"), card.toString());
        assertEquals(buildUrl() + "blue-green-rollout/", card.path("actions").get(1).path("url").asText());

        JsonNode json = json("rollback");
        assertEquals("started", RECEIVER.requests("json").get(0).json().path("event").asText(), "the start came first");
        assertEquals(lab.namespace, json.path("namespace").asText());
        assertEquals("1.0.0", json.path("fromVersion").asText());
        assertEquals(IMAGE, json.path("toImage").asText());
        assertEquals("errors", json.path("gate").asText());
        assertEquals(4.0, json.path("value").asDouble());
        assertEquals(0.5, json.path("threshold").asDouble());
        assertEquals(timeToRevert, json.path("timeToRevertMillis").asLong());
        assertEquals(r.getRollback().reason(), json.path("reason").asText());
        assertEquals(buildUrl(), json.path("buildUrl").asText());

        // Announced after the fact: the stable colour had all traffic before the first message left.
        Instant back = Instant.parse(r.getRollback().completedAt());
        for (String hook : List.of("slack", "teams", "json")) {
            Instant sent = RECEIVER.await(hook, q -> q.body().contains("ollback"), WAIT).at();
            assertFalse(sent.isBefore(back), hook + " got the rollback at " + sent + ", the traffic was back at " + back);
        }
        String log = context.live().log();
        assertTrue(log.contains("[blueGreenDeploy] notify: rollback sent to chat 'slack-hook' (slack) in "), log);
        assertTrue(log.contains("[blueGreenDeploy] notify: started sent to chat 'json-hook' (json) in "), log);
        assertEquals(1, RECEIVER.requests("slack").size(), "one message: rollback only, the default");
        assertNoWebhookUrl(context);
    }

    @Test
    void aPromotionAndTheEndOfTheBakeAreAnnouncedInEachForm() throws Exception {
        StepTestSupport.deployCandidate(lab); // green 2.0.0 ready, no traffic
        ShiftTrafficStep step = new ShiftTrafficStep(EngineLab.SERVICE, 100);
        step.setCluster("lab");
        step.setPromote(true);
        step.setBakeTime("1s");
        step.setNotify(allForms("promoted", "stable"));
        TestContext context = start(step);
        assertEquals("STABLE", context.live().awaitPhase());

        String slack = event("slack", "promoted").path("text").asText();
        assertTrue(slack.startsWith("*checkout green promoted \u2013 it serves all traffic*\n"
                + "blue stays up for a rollback until the bake time has passed."), "good news calls nobody: " + slack);
        assertTrue(slack.contains("*From:* 1.0.0 (blue)") && slack.contains("*To:* 2.0.0 (green)")
                && slack.contains("*Traffic:* blue 0 % / green 100 %"), slack);
        String stable = event("slack", "decommissioned").path("text").asText();
        assertTrue(stable.startsWith("*checkout green stable \u2013 blue decommissioned*"), stable);
        assertTrue(stable.contains("*From:* 1.0.0 (blue)") && stable.contains("*To:* 2.0.0 (green)"), stable);

        JsonNode card = event("teams", "promoted").path("attachments").get(0).path("content");
        assertEquals("checkout green promoted \u2013 it serves all traffic", card.path("body").get(0).path("text").asText());
        assertFalse(card.path("body").get(0).has("color"));

        JsonNode promoted = json("promoted");
        assertEquals("PROMOTED", promoted.path("phase").asText());
        assertEquals("1.0.0", promoted.path("fromVersion").asText());
        assertEquals("2.0.0", promoted.path("toVersion").asText());
        assertTrue(promoted.get("reason").isNull() && promoted.get("gate").isNull() && promoted.get("timeToRevertMillis").isNull());
        JsonNode done = json("stable");
        assertEquals("STABLE", done.path("phase").asText());
        assertEquals("1.0.0", done.path("fromVersion").asText(), "the retired version, from the record before the decommission");
        assertEquals("2.0.0", done.path("toVersion").asText());
        assertEquals(List.of("promoted", "stable"), RECEIVER.requests("json").stream().map(q -> q.json().path("event").asText()).toList());
        assertNoWebhookUrl(context);
    }

    @Test
    void aWholeRolloutAnnouncesEachMilestoneInOrder() throws Exception {
        BlueGreenDeployStep step = new BlueGreenDeployStep(EngineLab.SERVICE); // no Prometheus: the steps follow each other
        step.setCluster("lab");
        step.setImage(IMAGE);
        step.setSmokeTests(List.of(ColourApps.healthCheck()));
        step.setSmokeTestBaseUrl(COLOURS.baseUrl());
        step.setTrafficSteps(List.of(50, 100));
        step.setBakeTime("0s");
        step.setNotify(List.of(chat("json-hook", "json", "started", "ready", "promoted", "stable", "rollback", "failed")));
        assertEquals("STABLE", start(step).live().awaitPhase());
        json("stable");
        List<JsonNode> messages = RECEIVER.requests("json").stream().map(WebhookReceiver.Request::json).toList();
        assertEquals(List.of("started", "ready", "promoted", "stable"), messages.stream().map(m -> m.path("event").asText()).toList());
        assertEquals("checkout green ready \u2013 no traffic yet", messages.get(1).path("headline").asText());
        assertEquals("READY", messages.get(1).path("phase").asText());
        assertEquals("blueGreenDeploy started \u2013 checkout", messages.get(0).path("headline").asText());
        assertTrue(messages.get(0).get("reportUrl").isNull(), "nothing to report yet");
    }

    // ---- a webhook that fails or hangs --------------------------------------------------------------------------

    /**
     * The bound: the rollback completes within 5 s of the failing evaluation and before the first notification leaves;
     * the step then ends within the notifications' own bound ({@link StepNotifications#SETTLE_BOUND}, 11 s) plus 4 s of
     * scheduling slack after the traffic is back, whatever the webhooks do.
     */
    @Test
    void aWebhookThatFailsOrHangsNeverHoldsUpTheRollback() throws Exception {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 3);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 3);
        RECEIVER.answer("broken", 500);
        RECEIVER.answer("hanging", WebhookReceiver.HANG);
        VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        step.setWindow("30s");
        step.setNotify(List.of(chat("broken-hook", "slack"), chat("hanging-hook", "teams")));
        long start = System.nanoTime();
        TestContext context = start(step);
        await("the traffic back on blue", () -> lab.liveWeights().equals(Weights.all(Color.BLUE)));
        long back = System.nanoTime();
        Throwable failure = context.live().awaitFailure();
        long done = System.nanoTime();

        RolloutRecord r = lab.record();
        long timeToRevert = r.getRollback().recoveryMillis();
        Instant completed = Instant.parse(r.getRollback().completedAt());
        Instant firstMessage = RECEIVER.requests().stream().map(WebhookReceiver.Request::at).min(Instant::compareTo).orElseThrow();
        long stepEndAfterBack = (done - back) / 1_000_000;
        System.out.printf("webhooks answering 500 and never answering: time to revert %d ms (engine), traffic back %d ms after the"
                + " step started, first message %d ms after the traffic was back, step ended %d ms after the traffic was back"
                + " (bound %d ms); 500: %d attempts, hanging: %d attempts%n", timeToRevert, (back - start) / 1_000_000,
                Duration.between(completed, firstMessage).toMillis(), stepEndAfterBack,
                StepNotifications.SETTLE_BOUND.toMillis() + 4000, RECEIVER.requests("broken").size(), RECEIVER.requests("hanging").size());

        assertInstanceOf(AbortException.class, failure);
        assertTrue(failure.getMessage().startsWith("Rolled back " + lab.target + ": gate failed: errors FAIL"),
                "the step fails for the rollback, not for a webhook: " + failure.getMessage());
        assertTrue(timeToRevert <= 5000, "rolled back within 5 s of the breach: " + timeToRevert + " ms");
        assertFalse(firstMessage.isBefore(completed), "no message left before the traffic was back");
        assertTrue(stepEndAfterBack <= StepNotifications.SETTLE_BOUND.toMillis() + 4000, stepEndAfterBack + " ms");
        assertEquals(WebhookSender.MAX_ATTEMPTS, RECEIVER.requests("broken").size());
        assertEquals(WebhookSender.MAX_ATTEMPTS, RECEIVER.requests("hanging").size());
        String log = context.live().log();
        assertTrue(log.contains("[verifyMetrics] notify: rollback to chat 'broken-hook' (slack) was not delivered (3 attempts in "), log);
        assertTrue(log.contains("): HTTP 500. The rollout is not affected."), log);
        assertTrue(log.contains("[verifyMetrics] notify: rollback to chat 'hanging-hook' (teams) was not delivered (3 attempts in "), log);
        assertTrue(log.contains("): no answer within "), log);
        assertEquals(1, context.live().completions.get());
        assertTrue(context.live().completedOn.startsWith("jenkins.util.Timer"), "completed on the step's executor: " + context.live().completedOn);
        assertNoWebhookUrl(context);
    }

    // ---- refused when the step starts ---------------------------------------------------------------------------

    @Test
    void badNotifyArgumentsAndWrongCredentialsAreRefusedWhenTheStepStarts() throws Exception {
        VerifyMetricsStep badEvent = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        badEvent.setNotify(List.of(chat("json-hook", "json", "rollback", "rolback")));
        assertEquals("verifyMetrics: notify: on has 'rolback', which is not an event: use started, ready, promoted, stable, rollback"
                + " or failed.", StepTestSupport.refusal(badEvent));
        VerifyMetricsStep badFormat = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        badFormat.setNotify(List.of(chat("json-hook", "discord")));
        assertEquals("verifyMetrics: notify: format must be slack, teams or json, not 'discord'.", StepTestSupport.refusal(badFormat));
        RollbackStep noId = new RollbackStep(EngineLab.SERVICE);
        noId.setNotify(List.of(new ChatNotification(" ")));
        assertEquals("rollback: " + Messages.ChatNotification_CredentialsIdRequired(), StepTestSupport.refusal(noId));

        // The credentials are checked by the first piece of work, before anything changes: no rollback of the
        // rollout halfway, although a failing verifyMetrics would roll it back.
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        Map<String, String> refusals = Map.of(
                "not-a-hook", "verifyMetrics: notify: Credentials 'not-a-hook' cannot be used for a chat webhook: use secret text that"
                        + " holds the webhook URL.",
                "plain-http-hook", "verifyMetrics: notify: the webhook URL in credentials 'plain-http-hook' is refused: it is http, not"
                        + " https: only a receiver on this machine (localhost, 127.0.0.1, [::1]) may be reached without TLS.",
                "no-such-hook", "verifyMetrics: notify: Credentials 'no-such-hook' were not found.");
        for (Map.Entry<String, String> e : refusals.entrySet()) {
            VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
            step.setNotify(List.of(chat("json-hook", "json", "started", "failed", "rollback"), chat(e.getKey(), "slack")));
            TestContext context = start(step);
            Throwable failure = context.live().awaitFailure();
            assertInstanceOf(AbortException.class, failure);
            assertEquals(e.getValue(), failure.getMessage());
            assertFalse(failure.getMessage().contains("hooks.example.com"), "never the URL");
            assertFalse(context.live().log().contains("Watching"), "no analysis began");
        }
        assertEquals(new Weights(50, 50), lab.liveWeights(), "nothing changed");
        assertEquals(Phase.SHIFTED, lab.record().getPhase());
        Thread.sleep(500);
        assertEquals(List.of(), RECEIVER.requests(), "a refused step announces nothing");
    }

    // ---- every bad ending --------------------------------------------------------------------------------------

    @Test
    void aRefusedPreflightIsAnnouncedAsAFailureWithNothingChanged() throws Exception {
        MetricGate wrong = new MetricGate("typo");
        wrong.setQuery("max(lab_errorz{namespace=\"${namespace}\",color=\"${color}\"})");
        wrong.setThreshold(1.0);
        BlueGreenDeployStep step = StepTestSupport.deployStep(IMAGE, GATES, COLOURS);
        step.setGates(List.of(wrong));
        step.setTrafficSteps(List.of(100));
        step.setNotify(List.of(chat("json-hook", "json"), chat("slack-hook", "slack")));
        start(step).live().awaitFailure();
        JsonNode failed = json("failed");
        assertEquals("Rollout of checkout failed", failed.path("headline").asText());
        assertTrue(failed.path("reason").asText().contains("gate typo finds no series for the serving colour blue"), failed.toString());
        assertTrue(failed.get("phase").isNull(), "the record is the previous rollout's: not described as this one");
        assertEquals(buildUrl(), failed.path("buildUrl").asText());
        String slack = event("slack", "failed").path("text").asText();
        assertTrue(slack.startsWith("<!here> *Rollout of checkout failed*\nNothing was rolled back."), slack);
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void aCandidateThatNeverBecomesReadyIsAnnouncedAsARollback() throws Exception {
        lab.controlPlane().behave("registry.example.com/shop/checkout:2.0.1", SimulatedControlPlane.unschedulableInsufficientCpu());
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:2.0.1", GATES, COLOURS);
        step.setReadinessTimeout("2s");
        step.setNotify(List.of(chat("json-hook", "json")));
        start(step).live().awaitFailure();
        JsonNode rollback = json("rollback");
        assertEquals("Rollback initiated \u2013 checkout green degraded", rollback.path("headline").asText());
        assertTrue(rollback.path("reason").asText().contains("green did not become ready within 2 s"), rollback.toString());
        assertTrue(rollback.path("reason").asText().contains("Insufficient cpu"), rollback.toString());
        assertEquals("1.0.0", rollback.path("fromVersion").asText());
        assertEquals("2.0.1", rollback.path("toVersion").asText());
        assertEquals(Phase.ROLLED_BACK.name(), rollback.path("phase").asText());
    }

    @Test
    void aFailedSmokeTestIsAnnouncedAsARollbackAlsoWhenTheStageIsOnlyMarkedUnstable() throws Exception {
        COLOURS.answer("green", 503);
        BlueGreenDeployStep step = StepTestSupport.deployStep(IMAGE, GATES, COLOURS);
        step.setTrafficSteps(List.of(5, 100));
        step.setFailOnRollback(false);
        step.setNotify(List.of(chat("json-hook", "json")));
        assertEquals("ROLLED_BACK", start(step).live().awaitPhase());
        JsonNode rollback = json("rollback");
        assertEquals("Rollback initiated \u2013 checkout green degraded", rollback.path("headline").asText());
        assertTrue(rollback.path("reason").asText().contains("expected status 200, got 503"), rollback.toString());
        assertEquals("blue 100 % / green 0 %", rollback.path("traffic").asText());
        assertTrue(rollback.get("gate").isNull(), "no gate failed");
        assertEquals(1, RECEIVER.requests("json").size());
    }

    @Test
    void anAbortIsAnnouncedAfterTheTrafficIsBack() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, 50), GATES);
        step.setAnalysisWindow("60s");
        step.setNotify(List.of(chat("json-hook", "json")));
        TestContext context = new TestContext(support.run);
        var execution = context.launch(step);
        await("the analysis", () -> context.live().log().contains("gates: errors PASS"));
        execution.stop(new FlowInterruptedException(Result.ABORTED, true, new CauseOfInterruption.UserInterruption("admin")));
        context.live().awaitFailure();
        JsonNode rollback = json("rollback");
        assertEquals("Rollback initiated \u2013 checkout green withdrawn", rollback.path("headline").asText());
        assertEquals("the build was aborted by admin", rollback.path("reason").asText());
        assertEquals("shiftTraffic", rollback.path("step").asText());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aRollbackFromAnotherBuildIsAnnouncedByTheRollbackStepAndByTheStepThatWasWatching() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = StepTestSupport.gated(new ShiftTrafficStep(EngineLab.SERVICE, 50), GATES);
        step.setAnalysisWindow("60s");
        step.setNotify(List.of(chat("json-hook", "json")));
        TestContext watching = start(step);
        await("the analysis", () -> watching.live().log().contains("gates: errors PASS"));

        RollbackStep other = new RollbackStep(EngineLab.SERVICE);
        other.setCluster("lab");
        other.setReason("on-call decided");
        other.setNotify(List.of(chat("slack-hook", "slack")));
        TestContext otherContext = new TestContext(new TestJob(support.jenkins, "rollback-checkout").newBuild());
        otherContext.launch(other);
        assertEquals("ROLLED_BACK", otherContext.live().awaitPhase());
        watching.live().awaitFailure();

        String slack = event("slack", "on-call decided").path("text").asText();
        assertTrue(slack.startsWith("<!here> *Rollback initiated \u2013 checkout green withdrawn*"), slack);
        assertTrue(slack.contains("*Step:* rollback in rollback-checkout#"), slack);
        JsonNode noticed = json("rollback");
        assertEquals(lab.target + " was rolled back meanwhile: on-call decided", noticed.path("reason").asText());
        assertEquals("shiftTraffic", noticed.path("step").asText());
        assertEquals(lab.record().getRollback().recoveryMillis(), noticed.path("timeToRevertMillis").asLong());
    }

    @Test
    void aBuildThatEndsUnderTheStepIsAnnouncedWithTheTrafficReturned() throws Exception {
        BlueGreenDeployStep step = StepTestSupport.deployStep(IMAGE, GATES, COLOURS);
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("4s");
        step.setNotify(List.of(chat("json-hook", "json")));
        TestContext context = start(step);
        await("the first analysis", () -> context.live().log().contains("gates: errors PASS"));
        support.run.setResult(Result.FAILURE);
        support.run.finish(); // the build ends; Jenkins does not call stop()
        context.live().awaitFailure();
        JsonNode rollback = json("rollback");
        assertEquals("blueGreenDeploy stopped: its build checkout-deploy#" + support.run.getNumber()
                + " is no longer running (result FAILURE)", rollback.path("reason").asText());
        assertEquals("Rollback initiated \u2013 checkout green withdrawn", rollback.path("headline").asText());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aBuildThatEndsDuringTheBakeIsAnnouncedAsAFailureLeftPromoted() throws Exception {
        StepTestSupport.deployCandidate(lab);
        ShiftTrafficStep step = new ShiftTrafficStep(EngineLab.SERVICE, 100); // no Prometheus: the bake only waits
        step.setCluster("lab");
        step.setPromote(true);
        step.setBakeTime("3s");
        step.setNotify(List.of(chat("json-hook", "json", "promoted", "stable", "rollback", "failed")));
        TestContext context = start(step);
        await("the bake", () -> context.live().log().contains("Bake time of 3s"));
        support.run.setResult(Result.ABORTED);
        support.run.finish();
        context.live().awaitFailure();
        JsonNode failed = json("failed");
        assertEquals("Rollout of checkout failed", failed.path("headline").asText());
        assertTrue(failed.path("reason").asText().endsWith("(result ABORTED); the rollout stays promoted with the old colour kept: finish"
                + " the bake with shiftTraffic (promote: true, bakeTime) or roll back."), failed.toString());
        assertEquals("PROMOTED", failed.path("phase").asText());
        assertEquals("Nothing was rolled back; traffic is blue 0 % / green 100 %.", failed.path("summary").asText());
        assertEquals(List.of("promoted", "failed"), RECEIVER.requests("json").stream().map(q -> q.json().path("event").asText()).toList());
    }

    @Test
    void gatesThatFailWithoutARollbackAreAnnouncedWithTheGateAndTheTrafficLeft() throws Exception {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 1);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 1);
        VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        step.setWindow("30s");
        step.setRollbackOnFailure(false);
        step.setNotify(List.of(chat("json-hook", "json")));
        start(step).live().awaitFailure();
        JsonNode failed = json("failed");
        assertEquals("errors", failed.path("gate").asText());
        assertEquals(1.0, failed.path("value").asDouble());
        assertEquals(0.5, failed.path("threshold").asDouble());
        assertEquals("Nothing was rolled back; traffic is blue 50 % / green 50 %.", failed.path("summary").asText());
        assertEquals(new Weights(50, 50), lab.liveWeights());
    }

    /** A restart mid-analysis: the notify argument is resumed from the saved program (IDs only), and the breach is announced. */
    @Test
    void afterARestartTheSavedNotifyArgumentStillAnnouncesTheRollback() throws Exception {
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        VerifyMetricsStep step = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        step.setWindow("30s");
        step.setNotify(List.of(chat("json-hook", "json", "started", "rollback")));
        TestContext context = new TestContext(support.run);
        RolloutPlanExecution before = (RolloutPlanExecution) context.launch(step);
        await("the first evaluation", () -> context.live().log().contains("gates: errors PASS"));
        json("started");
        before.halt();
        assertFalse(new String(context.live().saved, StandardCharsets.ISO_8859_1).contains(WebhookReceiver.SECRET));

        GATES.set(lab.namespace, EngineLab.SERVICE, "green", 2);
        GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", 2);
        context.restart();
        context.live().awaitFailure();
        JsonNode rollback = json("rollback");
        assertTrue(rollback.path("reason").asText().startsWith("gate failed: errors FAIL"), rollback.toString());
        assertEquals(List.of("started", "rollback"), RECEIVER.requests("json").stream().map(q -> q.json().path("event").asText()).toList(),
                "not started again after the restart");
        assertNoWebhookUrl(context);
    }
}
