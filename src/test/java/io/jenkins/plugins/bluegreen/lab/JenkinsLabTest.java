package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.metrics.Sample;
import io.jenkins.plugins.bluegreen.smoke.SmokeCheck;
import io.jenkins.plugins.bluegreen.smoke.SmokeTestException;
import io.jenkins.plugins.bluegreen.smoke.SmokeTester;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab as a Jenkins uses it, on ports the kernel picks: a client with a token, as the plugin builds it, deploys a
 * faulty version of the istio-canary example's service as the steps do. The smoke tests reach the candidate's app
 * through the service proxy, its image tag makes it fail 8 % of its requests once it has traffic, and after the
 * rollback it gets neither traffic nor faults.
 */
class JenkinsLabTest {

    private static final String SERVICE = "checkout";
    private static JenkinsLab lab;
    private static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        lab = JenkinsLab.start(new JenkinsLab.Settings(0, 0, "shop", 100, 2, 40, Duration.ofMillis(100),
                LabExamplesTest.examples()), LOG::add);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aFaultyVersionIsReachedByTheSmokeTestsFailsWithTrafficAndStopsAfterTheRollback() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(lab.apiServer().toString()).withOauthToken(LabSnippets.newToken())
                .withRequestTimeout(10_000).withRequestRetryBackoffLimit(0).build()).build()) {
            Clock clock = Clock.systemUTC();
            RolloutEngine engine = new RolloutEngine(new FabricCluster(client, clock, Duration.ofSeconds(30)), clock,
                    RolloutListener.NONE, EngineSettings.DEFAULTS);
            RolloutTarget target = new RolloutTarget(lab.namespace(), SERVICE);
            LabExamples.Served checkout = LabExamples.SERVED.get(0);

            assertEquals(Phase.READY, engine.deploy(new DeploySpec(target, new CandidateSource.NewImage(
                    "registry.example.com/shop/checkout:2.0.0-faulty", null), checkout.routerSpec(), null, Duration.ofSeconds(20),
                    "test")).record().getPhase());
            assertTrue(awaitLog("checkout-green: 2.0.0-faulty, 4/4 ready: 8 % 5xx", Duration.ofSeconds(10)), LOG.toString());
            List<String> lines = SmokeTester.viaServiceProxy(client).run(lab.namespace(), SERVICE, "green", List.of(
                    new SmokeCheck("/healthz", 200, "ok", null), new SmokeCheck("/status", 200, "version=2.0.0-faulty color=green", null)));
            assertEquals(2, lines.size(), lines.toString());

            engine.shift(target, 50, "test");
            String greenErrors = "sum(rate(" + lab.requests(SERVICE, Color.GREEN, ",code=\"500\"") + "[10s]))";
            assertTrue(awaitPositive(greenErrors, Duration.ofSeconds(30)), "green's 5xx in Prometheus; " + LOG);
            assertEquals(0, value("sum(rate(" + lab.requests(SERVICE, Color.BLUE, ",code=\"500\"") + "[10s]))"), "blue stays healthy");

            assertEquals(Phase.ROLLED_BACK, engine.rollback(target, "faulty", Instant.now(), "test").record().getPhase());
            awaitReadyReplicas(client, 0, Duration.ofSeconds(10));
            assertTrue(awaitLog("checkout-green: no pods: no traffic, no faults", Duration.ofSeconds(10)), LOG.toString());
            long sent = lab.load(SERVICE).sent(Color.GREEN);
            Thread.sleep(1000);
            assertEquals(sent, lab.load(SERVICE).sent(Color.GREEN), "no traffic to a colour without ready pods");
            SmokeTestException none = assertThrows(SmokeTestException.class, () -> SmokeTester.viaServiceProxy(client)
                    .run(lab.namespace(), SERVICE, "green", List.of(new SmokeCheck("/healthz"))));
            assertTrue(none.getMessage().contains("no endpoints available for service \"checkout-green\""), none.getMessage());
        }
    }

    private static void awaitReadyReplicas(KubernetesClient client, int ready, Duration timeout) {
        client.apps().deployments().inNamespace(lab.namespace()).withName(SERVICE + "-green").waitUntilCondition(d ->
                d.getStatus() != null && (d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas()) == ready,
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean awaitLog(String start, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (LOG.stream().anyMatch(l -> l.startsWith(start))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static double value(String promql) throws Exception {
        List<Sample> samples = lab.prometheus().instantQuery(promql, Instant.now());
        return samples.isEmpty() ? Double.NaN : samples.get(0).value();
    }

    private static boolean awaitPositive(String promql, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (value(promql) > 0) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }
}
