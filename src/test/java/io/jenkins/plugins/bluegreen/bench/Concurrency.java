package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST CODE, benchmark (c): how many rollouts one JVM drives at once. N services, each in its own namespace with blue
 * live, start a rollout together: deploy green, shift 50 %, an analysis window with the built-in error-rate gate
 * evaluated every second, promote (one in ten candidates fails its gate at once and is rolled back instead). All of
 * them run as the steps run them ({@link RolloutMachine}) on one small scheduler pool, never a thread per rollout.
 *
 * <p>The API server is the fabric8 mock with a minimal control plane in a JVM of its own ({@link SimulatedCluster}); the
 * gates query one real Prometheus on a recorded series ({@link RecordedPrometheus}); so this JVM holds the engine, its
 * clients and the benchmark, and the three processes' CPU is counted apart. By default all rollouts share one
 * Kubernetes client and one Prometheus client; {@code --clients per-rollout} gives each rollout its own pair, as each
 * step execution builds them today.
 */
public final class Concurrency {

    private static final Clock CLOCK = Clock.systemUTC();

    private Concurrency() {
    }

    public static void main(String[] argv) throws Exception {
        Benchmarks.main(RevertLatency.prepend("concurrency", argv));
    }

    /** The knobs of a run. */
    record Options(List<Integer> sizes, Duration window, Duration interval, int threads, int failingPercent, boolean sharedClients,
                   boolean forkedCluster, Duration readiness) {}

    /**
     * Reads {@code --sizes 50,200,500}, {@code --window S} (30), {@code --interval S} (1), {@code --threads N} (4),
     * {@code --failing PERCENT} (10), {@code --clients shared|per-rollout}, {@code --cluster process|in-process} and
     * {@code --readiness S} (0.01: how long the simulated Deployments take to become ready).
     */
    static Benchmarks.Benchmark from(BenchOptions args) {
        if (args.path.equals("steps")) {
            return onTheStepsPath(args);
        }
        if (!args.path.equals("engine")) {
            throw new IllegalArgumentException("--path is engine or steps");
        }
        String clients = args.clients == null ? "shared" : args.clients;
        String cluster = args.cluster;
        if (!clients.equals("shared") && !clients.equals("per-rollout")) {
            throw new IllegalArgumentException("--clients is shared or per-rollout");
        }
        if (!cluster.equals("process") && !cluster.equals("in-process")) {
            throw new IllegalArgumentException("--cluster is process or in-process");
        }
        Options o = new Options(List.copyOf(args.sizes), BenchOptions.seconds(args.window), BenchOptions.seconds(args.interval),
                args.threads == null ? 4 : args.threads, args.failing, clients.equals("shared"), cluster.equals("process"), BenchOptions.seconds(args.readiness));
        return report -> run(o, report);
    }

    /**
     * {@code --path steps}: the same rollouts through the real step executions ({@code StepConcurrency}). It needs the
     * Central build's step context, which lives in that build's own test sources, so it is found by name.
     */
    private static Benchmarks.Benchmark onTheStepsPath(BenchOptions args) {
        if (args.threads != null || args.clients != null) {
            throw new IllegalArgumentException("--threads and --clients are for --path engine: the steps run on jenkins.util.Timer"
                    + " (10 threads, as in Jenkins) with the plugin's own shared clients");
        }
        try {
            return (Benchmarks.Benchmark) Class.forName(Concurrency.class.getPackageName() + ".StepConcurrency")
                    .getDeclaredMethod("from", BenchOptions.class).invoke(null, args);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--path steps needs the Central build's test context (central/pom.xml)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one size measured. */
    record Figures(int n, int promoted, int rolledBack, int expectedRolledBack, int failed, String firstFailure, double wallSeconds,
                   double allInWindowSeconds, Stats overrun, Stats evaluations, long totalEvaluations, Stats burstLagMillis, Stats steadyLagMillis, Map<String, Integer> peakThreads, int liveBefore, int livePeak, int liveMax,
                   double heapBeforeMb, double heapPeakMb, double heapMaxSeenMb, double processCpu, Map<String, Double> cpuByGroup,
                   double clusterCpu, int clusterThreads, double prometheusCpu) {
        int engineThreads() {
            return peakThreads.getOrDefault(ThreadCensus.SCHEDULER, 0) + peakThreads.getOrDefault(ThreadCensus.LEASES, 0);
        }

        int clientThreads() {
            return peakThreads.getOrDefault(ThreadCensus.K8S_HTTP, 0) + peakThreads.getOrDefault(ThreadCensus.OKHTTP, 0)
                    + peakThreads.getOrDefault(ThreadCensus.VERTX, 0) + peakThreads.getOrDefault(ThreadCensus.JDK_HTTP, 0)
                    + peakThreads.getOrDefault(ThreadCensus.FABRIC8, 0);
        }

        boolean allAsExpected() {
            return failed == 0 && promoted == n - expectedRolledBack && rolledBack == expectedRolledBack;
        }
    }

    static void run(Options o, Report report) throws Exception {
        System.out.printf(Locale.ROOT, "[concurrency] sizes %s, window %d s, gate every %d ms, %d scheduler threads, %s clients, cluster %s,"
                + " ready after %d ms%n", o.sizes(), o.window().toSeconds(), o.interval().toMillis(), o.threads(),
                o.sharedClients() ? "shared" : "per-rollout", o.forkedCluster() ? "in its own JVM" : "in this JVM", o.readiness().toMillis());
        try (RecordedPrometheus prometheus = RecordedPrometheus.start()) {
            for (int n : o.sizes()) {
                Figures f = measure(n, o, prometheus);
                add(report, f, o);
            }
        }
        report.note("(c) concurrency", "gates: errorRate (rate over 1m > 1 % for 60 s) on one real Prometheus holding a recorded series,"
                + " queried at a fixed offset from now; " + (o.sharedClients() ? "one Kubernetes client and one Prometheus client shared"
                        + " by all rollouts" : "a Kubernetes client and a Prometheus client per rollout, as the steps build them"));
    }

    private static void add(Report report, Figures f, Options o) {
        String b = "(c) " + f.n() + " rollouts";
        report.add(b, "as expected (promoted / rolled back / failed)", f.promoted() + " / " + f.rolledBack() + " / " + f.failed(),
                (f.n() - f.expectedRolledBack()) + " / " + f.expectedRolledBack() + " / 0", f.allAsExpected());
        if (f.firstFailure() != null) {
            report.note(b, "first failure: " + f.firstFailure());
        }
        report.add(b, "wall time, all rollouts (window " + o.window().toSeconds() + " s)", String.format(Locale.ROOT, "%.1f s", f.wallSeconds()));
        report.add(b, "all deployed, shifted and in their window after", f.allInWindowSeconds() < 0 ? "never"
                : String.format(Locale.ROOT, "%.1f s", f.allInWindowSeconds()));
        report.add(b, "promoted rollout's time beyond its window", f.overrun().summary("s"));
        report.add(b, "gate evaluations in a promoted rollout's window", String.format(Locale.ROOT, "min %s / p50 %s (every %d ms over %d s: ~%d)",
                Stats.num(f.evaluations().percentile(0)), Stats.num(f.evaluations().percentile(50)), o.interval().toMillis(),
                o.window().toSeconds(), o.window().toMillis() / o.interval().toMillis() + 1));
        long scheduled = (f.n() - f.expectedRolledBack()) * (o.window().toMillis() / o.interval().toMillis() + 1) + f.expectedRolledBack();
        report.add(b, "gate evaluations done, of those due", String.format(Locale.ROOT, "%d of %d (%.0f %%)", f.totalEvaluations(),
                scheduled, 100.0 * f.totalEvaluations() / scheduled));
        report.add(b, "lateness of pieces while rollouts start", f.burstLagMillis().summary("ms"));
        report.add(b, "lateness of gate ticks once all are in their window", f.steadyLagMillis().summary("ms"));
        boolean big = f.n() >= 500;
        if (big) {
            report.add(b, "engine threads (pool + lease renewal)", String.valueOf(f.engineThreads()), "<= 4", f.engineThreads() <= 4);
        } else {
            report.add(b, "engine threads (pool + lease renewal)", String.valueOf(f.engineThreads()));
        }
        report.add(b, "client I/O threads (OkHttp and the shared pool, Vert.x, JDK HttpClient)", String.valueOf(f.clientThreads()));
        report.add(b, "JVM live threads before / at peak / max", f.liveBefore() + " / " + f.livePeak() + " / " + f.liveMax());
        double heap = f.heapPeakMb() - f.heapBeforeMb();
        String heapText = String.format(Locale.ROOT, "%.1f MB (after GC: %.0f -> %.0f MB; max seen %.0f MB)", heap, f.heapBeforeMb(),
                f.heapPeakMb(), f.heapMaxSeenMb());
        if (big) {
            report.add(b, "heap held by the rollouts at peak", heapText, "<= 100 MB", heap <= 100);
        } else {
            report.add(b, "heap held by the rollouts at peak", heapText);
        }
        double cores = f.processCpu() / f.wallSeconds();
        report.add(b, "CPU of the engine JVM", String.format(Locale.ROOT, "%.1f s (%.0f %% of a core)", f.processCpu(), cores * 100));
        StringBuilder groups = new StringBuilder();
        f.cpuByGroup().forEach((g, s) -> groups.append(groups.length() == 0 ? "" : "; ").append(g).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", s)));
        double threadsCpu = f.cpuByGroup().values().stream().mapToDouble(Double::doubleValue).sum();
        groups.append(String.format(Locale.ROOT, "; GC+JIT (not in a Java thread) %.1f", Math.max(0, f.processCpu() - threadsCpu)));
        report.add(b, "  by thread group (s)", groups.toString());
        report.add(b, "CPU of the simulated API server JVM", f.clusterCpu() < 0 ? "(in this JVM)"
                : String.format(Locale.ROOT, "%.1f s (%.0f %% of a core), %d threads", f.clusterCpu(), f.clusterCpu() / f.wallSeconds() * 100,
                        f.clusterThreads()));
        report.add(b, "CPU of Prometheus", String.format(Locale.ROOT, "%.1f s (%.0f %% of a core)", f.prometheusCpu(),
                f.prometheusCpu() / f.wallSeconds() * 100));
    }

    static Figures measure(int n, Options o, RecordedPrometheus prometheus) throws Exception {
        try (SimulatedCluster cluster = o.forkedCluster() ? SimulatedCluster.forked(o.readiness())
                : SimulatedCluster.inProcess(o.readiness())) {
            List<RolloutTarget> targets = BenchServices.setUp(cluster, n);
            // The set-up's leases were renewed by LeaseLock's own thread, which ends a second after the last release;
            // the rollouts measured renew theirs on the scheduler, as the steps do on jenkins.util.Timer.
            Thread.sleep(1500);
            return drive(targets, o, cluster, prometheus);
        }
    }

    private static Figures drive(List<RolloutTarget> targets, Options o, SimulatedCluster cluster, RecordedPrometheus prometheus)
            throws Exception {
        int n = targets.size();
        int failingEvery = o.failingPercent() > 0 ? Math.max(1, 100 / o.failingPercent()) : 0;
        ThreadCensus census = new ThreadCensus();
        Thread.sleep(o.forkedCluster() ? 1000 : 100); // let the set-up client's threads end
        double heapBefore = heapAfterGc();
        Map<String, Integer> before = census.look();
        int liveBefore = ThreadCensus.live();
        census.startCounting();
        long cpuBefore = processCpu();
        double clusterBefore = cluster.cpu().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        double promBefore = cpuOf(prometheus.pid());
        System.out.println("[concurrency] threads before: " + before);

        ScheduledExecutorService timer = BenchTimer.start(o.threads());
        KubernetesClient shared = o.sharedClients() ? cluster.newClient() : null;
        PrometheusClient sharedGates = o.sharedClients() ? prometheus.client() : null;
        AtomicInteger inWindow = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        List<CompletableFuture<RolloutMachine.Result>> results = new ArrayList<>();
        List<Boolean> failing = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            RolloutTarget target = targets.get(i);
            boolean fails = failingEvery > 0 && i % failingEvery == 0;
            failing.add(fails);
            KubernetesClient client = shared != null ? shared : cluster.newClient();
            PrometheusClient gates = sharedGates != null ? sharedGates : prometheus.client();
            // As the steps do: lease renewals run on the same scheduler as the rollouts' work.
            RolloutEngine engine = new RolloutEngine(new FabricCluster(client, CLOCK, LeaseLock.DEFAULT_DURATION, timer), CLOCK,
                    RolloutListener.NONE, EngineSettings.DEFAULTS);
            List<RolloutMachine.Stage> plan = new ArrayList<>(RolloutMachine.plan(List.of(50), o.window(), null));
            plan.add(RolloutMachine.Stage.of(RolloutMachine.Kind.PROMOTE));
            RolloutMachine machine = new RolloutMachine(engine, BenchServices.spec(target, "2.0.0"), plan, record -> new PrometheusAnalysis(gates,
                    new GateAnalysis(List.of(RecordedPrometheus.gate(fails, o.interval())))), timer, CLOCK, stage -> inWindow.incrementAndGet());
            CompletableFuture<RolloutMachine.Result> r = machine.start().whenComplete((x, e) -> finished.incrementAndGet());
            if (shared == null) {
                r = r.whenComplete((x, e) -> client.close());
            }
            results.add(r);
        }

        // Samples while the rollouts run; the peak figures are taken once every rollout is in its window.
        double[] heapMaxSeen = {0};
        int[] liveMax = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                census.look();
                liveMax[0] = Math.max(liveMax[0], ThreadCensus.live());
                heapMaxSeen[0] = Math.max(heapMaxSeen[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long deadline = System.nanoTime() + o.window().toNanos() / 2 + TimeUnit.SECONDS.toNanos(120);
        while (inWindow.get() < n && System.nanoTime() < deadline && finished.get() < n) {
            Thread.sleep(20);
        }
        double allInWindow = inWindow.get() < n ? -1 : (System.nanoTime() - started) / 1e9;
        Thread.sleep(Math.min(2000, o.window().toMillis() / 4));
        double heapPeak = heapAfterGc();
        Map<String, Integer> peak = census.look();
        int livePeak = ThreadCensus.live();
        int clusterThreads = cluster.threads();
        System.out.printf(Locale.ROOT, "[concurrency] %d of %d rollouts in their window (all after %.1f s); threads at peak: %s%n",
                inWindow.get(), n, allInWindow, peak);

        List<RolloutMachine.Result> done = new ArrayList<>();
        for (CompletableFuture<RolloutMachine.Result> r : results) {
            done.add(r.get(o.window().toSeconds() + 600, TimeUnit.SECONDS));
        }
        long ended = done.stream().mapToLong(RolloutMachine.Result::endNanos).max().orElse(System.nanoTime());
        census.look();
        sampler.interrupt();
        double cpu = (processCpu() - cpuBefore) / 1e9;
        double clusterCpu = clusterBefore < 0 ? -1 : cluster.cpu().map(d -> d.toNanos() / 1e9).orElse(0.0) - clusterBefore;
        double promCpu = cpuOf(prometheus.pid()) - promBefore;
        if (shared != null) {
            shared.close();
        }
        BenchTimer.stop(timer);

        int promoted = 0;
        int rolledBack = 0;
        int failed = 0;
        String firstFailure = null;
        List<Double> overrun = new ArrayList<>();
        List<Integer> evaluations = new ArrayList<>();
        long totalEvaluations = 0;
        List<Double> burstLags = new ArrayList<>();
        List<Double> steadyLags = new ArrayList<>();
        long allInAt = allInWindow < 0 ? Long.MAX_VALUE : started + (long) (allInWindow * 1e9);
        for (int i = 0; i < n; i++) {
            RolloutMachine.Result r = done.get(i);
            if (r.record() != null) {
                totalEvaluations += r.record().getHistory().stream().filter(e -> e.type().equals("gate")).count();
            }
            for (long[] lag : r.lags()) {
                (lag[0] < allInAt ? burstLags : steadyLags).add(lag[1] / 1000.0);
            }
            if (!failing.get(i) && r.end().equals("PROMOTED")) {
                promoted++;
                overrun.add(r.seconds() - o.window().toMillis() / 1000.0);
                evaluations.add((int) r.record().getHistory().stream().filter(e -> e.type().equals("gate")).count());
            } else if (failing.get(i) && r.end().equals("ROLLED_BACK")) {
                rolledBack++;
            } else {
                failed++;
                if (firstFailure == null) {
                    firstFailure = targets.get(i) + ": " + r.end() + " " + r.detail();
                }
            }
        }
        int expectedRolledBack = (int) failing.stream().filter(x -> x).count();
        return new Figures(n, promoted, rolledBack, expectedRolledBack, failed, firstFailure, (ended - started) / 1e9, allInWindow, new Stats(overrun), new Stats(evaluations), totalEvaluations,
                new Stats(burstLags), new Stats(steadyLags), peak, liveBefore, livePeak, liveMax[0], heapBefore, heapPeak,
                heapMaxSeen[0], cpu, census.cpuSeconds(), clusterCpu, clusterThreads, promCpu);
    }

    static double heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double cpuOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
