package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the steps' pieces of work use {@code jenkins.util.Timer}. With every one of the controller's {@link WorkSlots}
 * taken (as when hundreds of rollouts deploy at once), a window in progress still evaluates its gates on time and
 * passes, while a step that would move traffic waits for a slot and then moves it. And a piece that comes before any
 * gate is due asks the API server nothing: a tick costs its requests only when it evaluates.
 */
class TimerPiecesTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-slots";

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    @Test
    void gateEvaluationsDoNotWaitForSlotsWhileWorkThatMovesARolloutDoes() throws Exception {
        StepTestSupport support = STEPS.support();
        EngineLab lab = support.lab;
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);

        VerifyMetricsStep verify = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        verify.setWindow("8s");
        TestContext watching = new TestContext(support.run);
        watching.launch(verify);
        await("the window's first evaluation", () -> watching.live().log().contains("] gates: "));

        WorkSlots slots = WorkSlots.shared();
        CountDownLatch free = new CountDownLatch(1);
        ExecutorService others = Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < WorkSlots.DEFAULT_SLOTS; i++) { // other rollouts' deploys hold every slot
                slots.submit(() -> {
                    try {
                        free.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, others);
            }
            await("every slot taken", () -> slots.busy() == WorkSlots.DEFAULT_SLOTS);
            assertEquals("SHIFTED", watching.live().awaitPhase(), watching.live().log());
            Matcher rounds = Pattern.compile("window: (\\d+) rounds").matcher(watching.live().log());
            assertTrue(rounds.find(), watching.live().log());
            assertTrue(Integer.parseInt(rounds.group(1)) >= 6, "the window went on evaluating (every second over 8 s) while no"
                    + " slot was free: " + watching.live().log());
            assertTrue(watching.live().log().contains("all gates passed over 8 s"), watching.live().log());

            ShiftTrafficStep shift = new ShiftTrafficStep(EngineLab.SERVICE, 100);
            shift.setCluster("lab");
            TestContext moving = new TestContext(support.run);
            moving.launch(shift);
            await("the shift waiting for a slot", () -> slots.waiting() == 1);
            assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights(), "no traffic moved without a slot");
            assertEquals("waiting to start", moving.live().execution.getStatus());

            free.countDown();
            assertEquals("SHIFTED", moving.live().awaitPhase(), moving.live().log());
            assertEquals(Weights.of(Color.GREEN, 100), lab.liveWeights());
            await("the slots free again", () -> slots.busy() == 0 && slots.waiting() == 0);
        } finally {
            free.countDown();
            others.shutdownNow();
        }
    }

    @Test
    void aPieceBeforeAnyGateIsDueMakesNoApiRequest() throws Exception {
        StepTestSupport support = STEPS.support();
        EngineLab lab = support.lab;
        StepTestSupport.deployCandidate(lab).shift(lab.target, 50, EngineLab.OWNER);
        VerifyMetricsStep verify = StepTestSupport.gated(new VerifyMetricsStep(EngineLab.SERVICE), GATES);
        MetricGate slow = LiveGates.gate();
        slow.setInterval("30s"); // the next evaluation is half a minute after the first
        verify.setGates(List.of(slow));
        verify.setWindow("60s");
        TestContext context = new TestContext(support.run);
        RolloutPlanExecution execution = (RolloutPlanExecution) context.launch(verify);
        await("the first evaluation", () -> context.live().log().contains("gates: errors PASS"));

        drainPluginRequests(STEPS.mock());
        // An extra wake-up, 30 s before the next gate is due: what a timer that fires a little early amounts to.
        execution.onResume();
        await("the extra piece", () -> !execution.resumingStatus().equals(execution.getStatus()));
        assertEquals(List.of(), drainPluginRequests(STEPS.mock()), "no gate was due: the piece asked nothing of the API server");
        assertEquals(1, count(context.live().log(), "gates: errors PASS"), context.live().log());
        execution.halt();
    }

    @Test
    void aPieceIsScheduledNoSoonerThanAskedInWholeMilliseconds() {
        assertEquals(10_001, ClusterStepExecution.delayMillis(java.time.Duration.ofNanos(10_000_500_000L)),
                "half a millisecond more is a millisecond more, not less");
        assertEquals(10_000, ClusterStepExecution.delayMillis(java.time.Duration.ofMillis(10_000)));
        assertEquals(0, ClusterStepExecution.delayMillis(java.time.Duration.ofMillis(-5)), "a time already past: at once");
    }

    /** Takes the requests the mock recorded until none came for 200 ms; returns those that carried the plugin's token. */
    private static List<String> drainPluginRequests(MockCluster mock) throws InterruptedException {
        List<String> plugin = new java.util.ArrayList<>();
        RecordedRequest r;
        while ((r = mock.server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            if (("Bearer " + TOKEN).equals(r.getHeader("Authorization"))) {
                plugin.add(r.getMethod() + " " + r.getPath());
            }
        }
        return plugin;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
