package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TEST CODE, benchmark (a): the engine's own time to revert. Each round deploys a candidate, shifts traffic to it
 * and watches a {@link ScriptedAnalysis} that fails on its third evaluation, driven as the steps drive it
 * ({@link RolloutMachine}); the engine records the evaluation and rolls back by itself.
 *
 * <p>Measured from the moment the breach is decidable (the failing evaluation returned to the engine) to the moment
 * the stable colour's 100 % is in the API server (the engine's router write returned, and every write reads the
 * object back from the API: {@link TimedCluster}). Also from the same start to the end of the rollback (candidate
 * scaled to zero, record ROLLED_BACK). The cluster is the lab's: the fabric8 mock API server in this JVM with the
 * simulated control plane; Prometheus plays no part, as its query time comes before a breach is decidable.
 */
public final class RevertLatency {

    /** The figures of one run, in milliseconds. */
    record Figures(List<Double> toStable, List<Double> toComplete, List<Long> recorded, int rollbacks) {}

    private RevertLatency() {
    }

    public static void main(String[] argv) throws Exception {
        Benchmarks.main(prepend("revert", argv));
    }

    static String[] prepend(String word, String[] argv) {
        String[] out = new String[argv.length + 1];
        out[0] = word;
        System.arraycopy(argv, 0, out, 1, argv.length);
        return out;
    }

    /** Uses {@code --rollbacks}, {@code --warmup} and {@code --router}. */
    static Benchmarks.Benchmark from(BenchOptions o) {
        int rollbacks = o.rollbacks;
        int warmup = o.warmup;
        RouterSpec.Kind kind = router(o.router);
        return report -> run(rollbacks, warmup, kind, report);
    }

    static void run(int rollbacks, int warmup, RouterSpec.Kind kind, Report report) throws Exception {
        System.out.printf(Locale.ROOT, "[revert] %d rollbacks (+%d warm-up) through %s on the mock API server%n", rollbacks, warmup, kind);
        Figures f = measure(rollbacks, warmup, kind);
        Stats stable = new Stats(f.toStable());
        Stats complete = new Stats(f.toComplete());
        String b = "(a) revert";
        report.add(b, "rollbacks measured (" + kind.name().toLowerCase(Locale.ROOT) + ")", String.valueOf(f.rollbacks()), ">= 20",
                f.rollbacks() >= 20);
        report.add(b, "decidable -> stable 100 % in API, p50", Stats.num(stable.percentile(50)) + " ms", "<= 150 ms",
                stable.percentile(50) <= 150);
        report.add(b, "decidable -> stable 100 % in API, p99", Stats.num(stable.percentile(99)) + " ms", "<= 1000 ms",
                stable.percentile(99) <= 1000);
        report.add(b, "decidable -> stable 100 % in API", stable.summary("ms"));
        report.add(b, "decidable -> rollback complete", complete.summary("ms"));
        report.add(b, "recoveryMillis in the record", new Stats(f.recorded()).summary("ms"));
    }

    static RouterSpec.Kind router(String name) {
        switch (name) {
            case "istio":
                return RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE;
            case "gateway":
                return RouterSpec.Kind.GATEWAY_HTTP_ROUTE;
            case "service":
                return RouterSpec.Kind.SERVICE_SELECTOR;
            default:
                throw new IllegalArgumentException("--router is istio, gateway or service, not " + name);
        }
    }

    /** Runs {@code warmup + rollbacks} rounds one after the other and keeps the last {@code rollbacks}. */
    static Figures measure(int rollbacks, int warmup, RouterSpec.Kind kind) throws Exception {
        Clock clock = Clock.systemUTC();
        List<Double> toStable = new ArrayList<>();
        List<Double> toComplete = new ArrayList<>();
        List<Long> recorded = new ArrayList<>();
        List<long[]> writes = new ArrayList<>(); // {blue %, nanos}
        ScheduledExecutorService timer = BenchTimer.start(4);
        try (MockCluster mock = MockCluster.start(); EngineLab lab = new EngineLab(mock, kind, clock);
                KubernetesClient client = mock.server.createClient(b -> b.withHttpClientFactory(KubernetesClients.httpClientFactory())
                        .editOrNewConfig().withRequestTimeout(5_000).withRequestRetryBackoffLimit(0).endConfig())) {
            TimedCluster cluster = new TimedCluster(new FabricCluster(client, clock, LeaseLock.DEFAULT_DURATION), (w, nanos) -> {
                synchronized (writes) {
                    writes.add(new long[] {w.blue(), nanos});
                }
            });
            RolloutEngine engine = new RolloutEngine(cluster, clock, RolloutListener.NONE, EngineSettings.DEFAULTS);
            engine.deploy(lab.manifest("1.0.0")); // the first rollout: blue goes live with all traffic
            int percent = kind == RouterSpec.Kind.SERVICE_SELECTOR ? 100 : 50;
            for (int i = 0; i < warmup + rollbacks; i++) {
                ScriptedAnalysis analysis = new ScriptedAnalysis(2, Duration.ofMillis(100));
                RolloutMachine machine = new RolloutMachine(engine, lab.image("2.0." + i),
                        RolloutMachine.plan(List.of(percent), Duration.ofSeconds(30), null), record -> analysis, timer, clock, null);
                RolloutMachine.Result r = machine.start().get(60, TimeUnit.SECONDS);
                if (!"ROLLED_BACK".equals(r.end()) || !lab.liveWeights().equals(Weights.all(Color.BLUE))) {
                    throw new IllegalStateException("round " + i + " did not roll back: " + r.end() + " " + r.detail()
                            + ", live " + lab.liveWeights());
                }
                long decided = analysis.decidedNanos();
                long stable = firstWriteAfter(writes, decided);
                if (i >= warmup) {
                    toStable.add((stable - decided) / 1e6);
                    toComplete.add((r.endNanos() - decided) / 1e6);
                    recorded.add(r.record().getRollback().recoveryMillis());
                }
            }
        } finally {
            BenchTimer.stop(timer);
        }
        return new Figures(toStable, toComplete, recorded, toStable.size());
    }

    /** The return of the first write giving blue 100 % after {@code decided}. */
    private static long firstWriteAfter(List<long[]> writes, long decided) {
        synchronized (writes) {
            for (long[] w : writes) {
                if (w[1] > decided && w[0] == 100) {
                    return w[1];
                }
            }
        }
        throw new IllegalStateException("no router write returned the stable colour to 100 % after the verdict");
    }
}
