package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TEST CODE, benchmark (d): what the engine adds to a full rollout beyond the waits it was configured with. The plan is
 * {@code blueGreenDeploy}'s: deploy, shift to 5, 50 and 100 % with an analysis window after each, promote, bake,
 * decommission, driven as the steps drive it ({@link RolloutMachine}) on the lab's cluster (mock API server and
 * simulated control plane in this JVM), with the built-in error-rate gate evaluated every second on a real Prometheus
 * ({@link RecordedPrometheus}). Overhead = wall time from the first piece to the end of decommission, minus
 * 3 x window + bake.
 */
public final class Overhead {

    private Overhead() {
    }

    public static void main(String[] argv) throws Exception {
        Benchmarks.main(RevertLatency.prepend("overhead", argv));
    }

    /** Reads {@code --overhead-runs N} (5), {@code --overhead-window S} (2) and {@code --overhead-bake S} (2). */
    static Benchmarks.Benchmark from(BenchOptions o) {
        int runs = o.overheadRuns;
        Duration window = BenchOptions.seconds(o.overheadWindow);
        Duration bake = BenchOptions.seconds(o.overheadBake);
        return report -> run(runs, window, bake, report);
    }

    /** One rollout's figures, in seconds. */
    record Run(double wall, double configured, double busy, double lag, List<Double> stageMillis) {
        double overhead() {
            return wall - configured;
        }
    }

    static void run(int runs, Duration window, Duration bake, Report report) throws Exception {
        System.out.printf(Locale.ROOT, "[overhead] %d full rollouts (+1 warm-up), windows of %d ms at 5/50/100 %%, bake %d ms%n",
                runs, window.toMillis(), bake.toMillis());
        List<Run> all = measure(runs + 1, window, bake);
        Run cold = all.get(0);
        List<Run> warm = all.subList(1, all.size());
        Stats overhead = new Stats(warm.stream().map(r -> r.overhead() * 1000).toList());
        String b = "(d) overhead";
        report.add(b, "configured waits (3 windows + bake)", String.format(Locale.ROOT, "%.1f s", cold.configured()));
        report.add(b, "overhead beyond the waits, mean of " + warm.size(), Stats.num(overhead.mean()) + " ms", "<= 2000 ms",
                overhead.mean() <= 2000);
        report.add(b, "overhead beyond the waits, max", Stats.num(overhead.max()) + " ms", "<= 2000 ms", overhead.max() <= 2000);
        report.add(b, "overhead of the first (cold JVM) rollout", Stats.num(cold.overhead() * 1000) + " ms");
        report.add(b, "time inside pieces (engine + gate queries), mean",
                Stats.num(new Stats(warm.stream().map(r -> r.busy() * 1000).toList()).mean()) + " ms");
        report.add(b, "scheduler lag summed per rollout, mean",
                Stats.num(new Stats(warm.stream().map(r -> r.lag() * 1000).toList()).mean()) + " ms");
        List<RolloutMachine.Stage> plan = RolloutMachine.plan(STEPS, window, bake);
        StringBuilder stages = new StringBuilder();
        for (int i = 0; i < plan.size(); i++) {
            RolloutMachine.Stage s = plan.get(i);
            int at = i;
            double wait = s.duration() == null ? 0 : s.duration().toMillis();
            double mean = new Stats(warm.stream().map(r -> r.stageMillis().get(at) - wait).toList()).mean();
            stages.append(stages.length() == 0 ? "" : ", ").append(s.kind().name().toLowerCase(Locale.ROOT))
                    .append(s.kind() == RolloutMachine.Kind.SHIFT ? " " + s.percent() : "").append(wait > 0 ? " +" : " ")
                    .append(Stats.num(mean));
        }
        report.add(b, "per stage, mean ms (windows: beyond their wait)", stages.toString());
    }

    private static final List<Integer> STEPS = List.of(5, 50, 100);

    /** {@code n} full rollouts one after the other, each on a fresh namespace of one mock API server. */
    static List<Run> measure(int n, Duration window, Duration bake) throws Exception {
        Clock clock = Clock.systemUTC();
        List<Run> runs = new ArrayList<>();
        ScheduledExecutorService timer = BenchTimer.start(4);
        try (RecordedPrometheus prometheus = RecordedPrometheus.start(); MockCluster mock = MockCluster.start()) {
            PrometheusClient gatesClient = prometheus.client();
            for (int i = 0; i < n; i++) {
                try (EngineLab lab = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, clock);
                        KubernetesClient client = mock.server.createClient(c -> c.withHttpClientFactory(KubernetesClients.httpClientFactory())
                                .editOrNewConfig().withRequestTimeout(5_000).withRequestRetryBackoffLimit(0).endConfig())) {
                    RolloutEngine engine = new RolloutEngine(new FabricCluster(client, clock, LeaseLock.DEFAULT_DURATION), clock,
                            RolloutListener.NONE, EngineSettings.DEFAULTS);
                    engine.deploy(lab.manifest("1.0.0")); // before the clock starts: blue live
                    RolloutMachine machine = new RolloutMachine(engine, lab.image("2.0.0"),
                            RolloutMachine.plan(STEPS, window, bake),
                            record -> new PrometheusAnalysis(gatesClient,
                                    new GateAnalysis(List.of(RecordedPrometheus.gate(false, Duration.ofSeconds(1))))),
                            timer, clock, null);
                    RolloutMachine.Result r = machine.start().get(5, TimeUnit.MINUTES);
                    if (!"STABLE".equals(r.end()) || !lab.liveWeights().equals(Weights.all(Color.GREEN)) || lab.replicas(Color.BLUE) != 0) {
                        throw new IllegalStateException("rollout " + i + " did not complete: " + r.end() + " " + r.detail()
                                + ", live " + lab.liveWeights());
                    }
                    double configured = (3 * window.toMillis() + bake.toMillis()) / 1000.0;
                    runs.add(new Run(r.seconds(), configured, r.busyNanos() / 1e9,
                            r.lags().stream().mapToLong(l -> l[1]).sum() / 1e6, r.stageMillis()));
                }
            }
        } finally {
            BenchTimer.stop(timer);
        }
        return runs;
    }
}
