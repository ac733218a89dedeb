package io.jenkins.plugins.bluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.steps.RolloutResult;
import io.jenkins.plugins.bluegreen.steps.StepRuns;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing of the plugin's outlives its rollouts. 20 {@code blueGreenDeploy} executions on four connections end in the
 * four ways a rollout ends: promoted, rolled back by its gate, aborted mid-window ({@code stop()}), and promoted after a
 * controller restart mid-window (the execution read back from its River save and resumed). Afterwards every Kubernetes
 * client is closed (once idle: 300 ms here, a minute in Jenkins) and no thread is left beyond those that existed after a
 * first rollout (what the plugin keeps for its lifetime, e.g. jenkins.util.Timer's and the shared HTTP client's). The API server runs in its own JVM,
 * so that its threads are not this JVM's.
 */
class StepLeakTest {

    private static final int ROLLOUTS = 20;
    private static final Duration IDLE = Duration.ofMillis(300);
    /**
     * What the plugin's clients and engine start: the Kubernetes clients' shared pool and OkHttp's own threads, fabric8's
     * executors, JDK HTTP clients, lease renewal (and Vert.x, which no client of the plugin's should start any more).
     */
    private static final java.util.Set<String> CLIENT_GROUPS = java.util.Set.of(ThreadCensus.K8S_HTTP, ThreadCensus.OKHTTP,
            ThreadCensus.VERTX, ThreadCensus.FABRIC8, ThreadCensus.JDK_HTTP, ThreadCensus.LEASES);

    @AfterEach
    void restoreIdleTime() {
        StepRuns.kubernetesClientIdle(null);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twentyRolloutsEndingInFourWaysLeaveNoClientAndNoThread() throws Exception {
        // index mod 4: 0 rolled back by its gate (its series fails), 1 promoted, 2 aborted, 3 restarted and promoted
        StepConcurrency.Options o = new StepConcurrency.Options(List.of(ROLLOUTS), Duration.ofSeconds(8), Duration.ofSeconds(1), 25, true,
                Duration.ofMillis(10), 1, true);
        try (StepGates gates = StepGates.start(ROLLOUTS + 1, o.failingEvery());
                SimulatedCluster cluster = SimulatedCluster.forked(o.readiness())) {
            List<RolloutTarget> targets = BenchServices.setUp(cluster, ROLLOUTS + 1);
            TestJenkins jenkins = StepConcurrency.jenkins(targets.size());
            StepRuns.kubernetesClientIdle(IDLE);
            StepConcurrency.warmUp(ROLLOUTS, targets.remove(ROLLOUTS), cluster, gates, o, jenkins);
            Thread.sleep(1000); // let what is ending end
            System.gc();
            Map<Long, String> baseline = ThreadCensus.pluginThreadsById();

            List<StepRuns.Launched> launched = new ArrayList<>();
            for (int i = 0; i < ROLLOUTS; i++) {
                TestJob job = new TestJob(jenkins, "deploy-" + targets.get(i).namespace());
                launched.add(StepRuns.launch(StepConcurrency.step(i, targets.get(i), cluster, gates, o), job.newBuild()));
            }
            for (int i = 2; i < ROLLOUTS; i += 4) {
                awaitLog(launched.get(i), "gates: errors PASS");
                launched.get(i).stop(new FlowInterruptedException(Result.ABORTED, true, new CauseOfInterruption.UserInterruption("admin")));
            }
            for (int i = 3; i < ROLLOUTS; i += 4) {
                awaitLog(launched.get(i), "gates: errors PASS");
                launched.get(i).restart();
            }

            for (int i = 0; i < ROLLOUTS; i++) {
                StepRuns.Launched l = launched.get(i);
                if (i % 4 == 2) {
                    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                            () -> l.result().get(60, TimeUnit.SECONDS), l.log());
                    assertInstanceOf(FlowInterruptedException.class, e.getCause(), l.log());
                } else {
                    RolloutResult r = assertInstanceOf(RolloutResult.class, l.result().get(60, TimeUnit.SECONDS), l.log());
                    assertEquals(i % 4 == 0 ? "ROLLED_BACK" : "PROMOTED", r.getPhase(), l.log());
                }
            }
            assertPhases(cluster, targets);

            assertEquals(0, StepConcurrency.awaitNoClient(Duration.ofSeconds(10)), "every Kubernetes client closed once idle");
            List<String> left = threadsLeft(baseline);
            assertEquals(List.of(), left, "threads of the plugin's left after its rollouts ended");
        }
    }

    /** Every record says how its rollout ended: the aborted ones went back to the stable colour. */
    private static void assertPhases(SimulatedCluster cluster, List<RolloutTarget> targets) {
        try (KubernetesClient client = cluster.newClient()) {
            RolloutEngine reader = new RolloutEngine(new FabricCluster(client, Clock.systemUTC(), LeaseLock.DEFAULT_DURATION),
                    Clock.systemUTC(), RolloutListener.NONE, EngineSettings.DEFAULTS);
            for (int i = 0; i < targets.size(); i++) {
                Phase phase = reader.status(targets.get(i)).orElseThrow().getPhase();
                assertEquals(i % 2 == 0 ? Phase.ROLLED_BACK : Phase.PROMOTED, phase, targets.get(i).toString());
            }
        }
    }

    private static void awaitLog(StepRuns.Launched l, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!l.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "'" + text + "' within 30 s:\n" + l.log());
            Thread.sleep(20);
        }
    }

    /**
     * OkHttp's JVM-wide threads (its TaskRunner's pool, which ends idle threads after a minute, and the Okio Watchdog),
     * shared by every OkHttp client in Jenkins: they follow the requests in flight, not the rollouts, so a new one is not
     * counted if OkHttp already had some at the baseline. The plugin's own pool ({@code blue-green-kubernetes-http-*})
     * gets no such allowance: its idle threads end after 10 s.
     */
    private static boolean okHttpsOwn(String name, Map<Long, String> baseline) {
        return ThreadCensus.group(name).equals(ThreadCensus.OKHTTP)
                && baseline.values().stream().anyMatch(n -> ThreadCensus.group(n).equals(ThreadCensus.OKHTTP));
    }

    /**
     * The threads started since the baseline that are still alive, once they had up to 15 s to end (the Kubernetes clients'
     * shared pool ends a thread idle for 10 s): a JDK HTTP client's
     * end only after the client became unreachable and was collected, fabric8's a moment after the client closed. The
     * workers of an HTTP client that existed before (the plugin's shared one) are that client's pool, which the JDK
     * shrinks after a minute idle and which follows the requests in flight, not the rollouts: they are not counted.
     */
    private static List<String> threadsLeft(Map<Long, String> baseline) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> left;
        do {
            System.gc();
            Thread.sleep(250);
            left = new ArrayList<>();
            for (Map.Entry<Long, String> t : ThreadCensus.pluginThreadsById().entrySet()) {
                String name = t.getValue();
                if (!CLIENT_GROUPS.contains(ThreadCensus.group(name))) {
                    continue; // e.g. a lab app's server threads: ProductionScrapeTest runs beside the rest of the suite
                }
                int worker = name.indexOf("-Worker-");
                boolean poolOfAnOldClient = name.startsWith("HttpClient-") && worker > 0
                        && baseline.containsValue(name.substring(0, worker) + "-SelectorManager");
                if (!baseline.containsKey(t.getKey()) && !poolOfAnOldClient && !okHttpsOwn(name, baseline)) {
                    left.add(name);
                }
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }
}
