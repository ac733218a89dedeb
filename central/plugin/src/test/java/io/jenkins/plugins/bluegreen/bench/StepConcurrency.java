package io.jenkins.plugins.bluegreen.bench;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep;
import io.jenkins.plugins.bluegreen.steps.RolloutResult;
import io.jenkins.plugins.bluegreen.steps.StepRuns;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * TEST CODE, benchmark (c) on the steps' own path ({@code --path steps}): the same N services as {@link Concurrency},
 * but each rollout is a real {@code blueGreenDeploy} execution (deploy; 50 % and 100 %, each watched for half the
 * window; promote; no bake time, so no decommission, as the engine path ends) started as the Pipeline starts it, in the Central build's step context (a build per rollout, its log,
 * River saves of the execution), on {@code jenkins.util.Timer} (10 threads, as in Jenkins), with the clients the plugin
 * builds itself. Each rollout has its own credentials ID; the IDs hold the tokens of {@value #CLUSTERS} distinct
 * clusters (same API server, different credentials: to the plugin, different connections), as many teams' jobs would
 * deploy to a handful of clusters.
 *
 * <p>The plugin's requests are counted at the API server (those with credentials; the simulated control plane sends
 * none), and after the last rollout it checks that no client and no thread of the plugin's is left.
 */
final class StepConcurrency {

    static final int CLUSTERS = 4;
    /** How long the plugin keeps an unused client here (a minute in Jenkins): long enough to span a step's pauses. */
    static final Duration CLIENT_IDLE = Duration.ofSeconds(3);
    private static final Clock CLOCK = Clock.systemUTC();

    private StepConcurrency() {
    }

    /**
     * @param minEvaluations the steps' minEvaluations, or null for the default (3)
     * @param warmUp whether one rollout runs, ends and lets its client close before the baseline is taken, so that what
     *     the plugin keeps for its lifetime (made at first use) does not count as left behind
     */
    record Options(List<Integer> sizes, Duration window, Duration interval, int failingPercent, boolean forkedCluster,
                   Duration readiness, Integer minEvaluations, boolean warmUp) {
        int failingEvery() {
            return failingPercent > 0 ? Math.max(1, 100 / failingPercent) : 0;
        }

        /** Each of the two traffic stages (50 %, 100 %) is watched for half the window. */
        Duration stage() {
            return window.dividedBy(2);
        }

        /**
         * Evaluations due in a promoted rollout: in each stage one at its start and one per interval after it, while the
         * window lasts (the tick at its end closes it). A rolled-back one owes one: its first evaluation fails.
         */
        int duePerPromoted() {
            return 2 * (int) Math.ceil((double) stage().toMillis() / interval.toMillis());
        }
    }

    /** Called by {@link Concurrency#from} for {@code --path steps}. */
    static Benchmarks.Benchmark from(BenchOptions args) {
        String cluster = args.cluster;
        if (!cluster.equals("process") && !cluster.equals("in-process")) {
            throw new IllegalArgumentException("--cluster is process or in-process");
        }
        Options o = new Options(List.copyOf(args.sizes), BenchOptions.seconds(args.window), BenchOptions.seconds(args.interval),
                args.failing, cluster.equals("process"), BenchOptions.seconds(args.readiness), null, true);
        return report -> run(o, report);
    }

    /** What one size measured. */
    record Figures(int n, int promoted, int rolledBack, int expectedRolledBack, int failed, String firstFailure, double wallSeconds,
                   double allInWindowSeconds, Stats evaluations, long totalEvaluations, long due, long requests, long steadyRequests,
                   long steadyTicks, Map<String, Integer> before, Map<String, Integer> peak, int pluginThreads, int clientsAtPeak,
                   double heapBeforeMb, double heapPeakMb, double processCpu, Map<String, Double> cpuByGroup, double clusterCpu,
                   double prometheusCpu, int clientsLeft, int threadsLeft, String leftNames) {
        boolean allAsExpected() {
            return failed == 0 && promoted == n - expectedRolledBack && rolledBack == expectedRolledBack;
        }

        double requestsPerTick() {
            return steadyTicks == 0 ? Double.NaN : (double) steadyRequests / steadyTicks;
        }
    }

    static void run(Options o, Report report) throws Exception {
        System.out.printf(Locale.ROOT, "[concurrency, steps] sizes %s, window %d s, gate every %d ms, jenkins.util.Timer, %d clusters,"
                + " cluster %s, ready after %d ms%n", o.sizes(), o.window().toSeconds(), o.interval().toMillis(), CLUSTERS,
                o.forkedCluster() ? "in its own JVM" : "in this JVM", o.readiness().toMillis());
        int most = o.sizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        try (StepGates gates = StepGates.start(most + 1, o.failingEvery())) {
            for (int n : o.sizes()) {
                add(report, measure(n, o, gates), o);
            }
        }
        report.note("(c) steps", "blueGreenDeploy executions in the Central build's step context on jenkins.util.Timer (10 threads);"
                + " a custom gate (above 1 %, no sustain) on a series per namespace scraped by a real Prometheus; each rollout its own"
                + " credentials ID, over " + CLUSTERS + " clusters; API requests counted at the API server; clients kept "
                + CLIENT_IDLE.toSeconds() + " s after their last use (a minute in Jenkins)");
    }

    private static void add(Report report, Figures f, Options o) {
        String b = "(c) steps, " + f.n() + " rollouts";
        boolean big = f.n() >= 500;
        report.add(b, "as expected (promoted / rolled back / failed)", f.promoted() + " / " + f.rolledBack() + " / " + f.failed(),
                (f.n() - f.expectedRolledBack()) + " / " + f.expectedRolledBack() + " / 0", f.allAsExpected());
        if (f.firstFailure() != null) {
            report.note(b, "first failure: " + f.firstFailure());
        }
        report.add(b, "wall time, all rollouts (window " + o.window().toSeconds() + " s)", String.format(Locale.ROOT, "%.1f s", f.wallSeconds()));
        report.add(b, "all deployed, shifted and in their window after", f.allInWindowSeconds() < 0 ? "never"
                : String.format(Locale.ROOT, "%.1f s", f.allInWindowSeconds()));
        report.add(b, "gate evaluations in a promoted rollout's two windows", String.format(Locale.ROOT,
                "min %s / p50 %s (every %d ms over 2 x %d s: %d due)", Stats.num(f.evaluations().percentile(0)),
                Stats.num(f.evaluations().percentile(50)), o.interval().toMillis(), o.stage().toSeconds(), o.duePerPromoted()));
        double share = 100.0 * f.totalEvaluations() / f.due();
        String made = String.format(Locale.ROOT, "%d of %d (%.0f %%; each rollout's counted up to what it owed)", f.totalEvaluations(),
                f.due(), share);
        if (o.interval().toSeconds() >= 10) {
            report.add(b, "gate evaluations made, of those due", made, ">= 95 % at a 10 s interval", share >= 95);
        } else {
            report.add(b, "gate evaluations made, of those due", made);
        }
        String perTick = f.steadyTicks() == 0 ? "n/a (no tick while all were in their window)"
                : String.format(Locale.ROOT, "%.2f (%d requests, %d ticks while all were in their window)", f.requestsPerTick(),
                        f.steadyRequests(), f.steadyTicks());
        if (f.steadyTicks() == 0) {
            report.add(b, "API requests per analysis tick", perTick);
        } else {
            report.add(b, "API requests per analysis tick", perTick, "<= 3", f.requestsPerTick() <= 3);
        }
        report.add(b, "API requests per rollout, all stages", String.format(Locale.ROOT, "%.1f (%d in all)", (double) f.requests() / f.n(),
                f.requests()));
        String threads = f.pluginThreads() + " (threads by group before " + f.before() + ", at peak " + f.peak() + ")";
        if (big) {
            report.add(b, "threads the plugin created, beyond jenkins.util.Timer's", threads, "<= 20", f.pluginThreads() <= 20);
        } else {
            report.add(b, "threads the plugin created, beyond jenkins.util.Timer's", threads);
        }
        report.add(b, "Kubernetes clients open at peak", String.valueOf(f.clientsAtPeak()));
        double heap = f.heapPeakMb() - f.heapBeforeMb();
        String heapText = String.format(Locale.ROOT, "%.1f MB (after GC: %.0f -> %.0f MB)", heap, f.heapBeforeMb(), f.heapPeakMb());
        if (big) {
            report.add(b, "heap held by the rollouts at peak, after GC", heapText, "<= 150 MB", heap <= 150);
        } else {
            report.add(b, "heap held by the rollouts at peak, after GC", heapText);
        }
        report.add(b, "CPU of this JVM (plugin, Timer, context)", String.format(Locale.ROOT, "%.1f s (%.0f %% of a core)", f.processCpu(),
                f.processCpu() / f.wallSeconds() * 100));
        StringBuilder groups = new StringBuilder();
        f.cpuByGroup().forEach((g, s) -> groups.append(groups.length() == 0 ? "" : "; ").append(g).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", s)));
        report.add(b, "  by thread group (s)", groups.toString());
        report.add(b, "CPU of the simulated API server JVM", f.clusterCpu() < 0 ? "(in this JVM)"
                : String.format(Locale.ROOT, "%.1f s (%.0f %% of a core)", f.clusterCpu(), f.clusterCpu() / f.wallSeconds() * 100));
        report.add(b, "CPU of Prometheus", String.format(Locale.ROOT, "%.1f s (%.0f %% of a core)", f.prometheusCpu(),
                f.prometheusCpu() / f.wallSeconds() * 100));
        report.add(b, "left after all rollouts ended: clients / plugin threads",
                f.clientsLeft() + " / " + Math.max(0, f.threadsLeft()) + (f.leftNames().isEmpty() ? "" : " " + f.leftNames()), "0 / 0",
                f.clientsLeft() == 0 && f.threadsLeft() <= 0);
    }

    static Figures measure(int n, Options o, StepGates gates) throws Exception {
        try (SimulatedCluster cluster = o.forkedCluster() ? SimulatedCluster.forked(o.readiness())
                : SimulatedCluster.inProcess(o.readiness())) {
            List<RolloutTarget> targets = BenchServices.setUp(cluster, o.warmUp() ? n + 1 : n);
            TestJenkins jenkins = jenkins(targets.size());
            StepRuns.kubernetesClientIdle(CLIENT_IDLE);
            if (o.warmUp()) {
                warmUp(n, targets.remove(n), cluster, gates, o, jenkins);
            }
            return drive(targets, o, cluster, gates, jenkins);
        }
    }

    /**
     * One rollout to its end, and its client closed: what the plugin makes at first use and keeps (jenkins.util.Timer's
     * threads, a shared HTTP client) then exists before a baseline is taken.
     */
    static void warmUp(int index, RolloutTarget target, SimulatedCluster cluster, StepGates gates, Options o, TestJenkins jenkins)
            throws Exception {
        StepRuns.Launched l = StepRuns.launch(step(index, target, cluster, gates, o),
                new TestJob(jenkins, "warm-up-" + target.namespace()).newBuild());
        try {
            l.result().get(o.window().toSeconds() + 120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the warm-up rollout failed: " + l.log(), e.getCause());
        }
        awaitNoClient(Duration.ofSeconds(30));
    }

    /** Waits until the steps hold no Kubernetes client (they close once idle); returns how many are still open. */
    static int awaitNoClient(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (StepRuns.openKubernetesClients() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return StepRuns.openKubernetesClients();
    }

    /** A Jenkins whose credentials store holds {@code deploy-I} for every rollout, each the token of cluster I mod 4. */
    static TestJenkins jenkins(int n) throws Exception {
        TestJenkins jenkins = TestJenkins.install();
        TestCredentialsProvider credentials = new TestCredentialsProvider();
        for (int i = 0; i < n; i++) {
            credentials.add(TestCredentials.secretText(credentialsId(i), "bench-cluster-" + (i % CLUSTERS) + "-token"));
        }
        jenkins.register(CredentialsProvider.class, credentials);
        jenkins.register(BlueGreenGlobalConfiguration.class, new BlueGreenGlobalConfiguration());
        return jenkins;
    }

    private static String credentialsId(int i) {
        return "deploy-" + i;
    }

    static BlueGreenDeployStep step(int i, RolloutTarget target, SimulatedCluster cluster, StepGates gates, Options o) {
        BlueGreenDeployStep step = new BlueGreenDeployStep(target.service());
        step.setServerUrl(cluster.url());
        step.setCredentialsId(credentialsId(i));
        step.setNamespace(target.namespace());
        step.setImage("registry.example.com/shop/checkout:2.0.0");
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow(o.stage().toMillis() + "ms");
        step.setPrometheusUrl(gates.url());
        step.setGates(List.of(StepGates.gate(o.interval())));
        step.setFailOnRollback(false); // a scripted rollback is a result to count, not a failure
        if (o.minEvaluations() != null) {
            step.setMinEvaluations(o.minEvaluations());
        }
        return step;
    }

    private static Figures drive(List<RolloutTarget> targets, Options o, SimulatedCluster cluster, StepGates gates, TestJenkins jenkins)
            throws Exception {
        int n = targets.size();
        ThreadCensus census = new ThreadCensus();
        Thread.sleep(o.forkedCluster() ? 1500 : 300); // let the set-up client's threads end
        double heapBefore = Concurrency.heapAfterGc();
        Map<String, Integer> before = census.look();
        census.startCounting();
        long cpuBefore = Concurrency.processCpu();
        double clusterBefore = cluster.cpu().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        double promBefore = Concurrency.cpuOf(gates.pid());
        long requestsBefore = cluster.authorizedRequests();
        System.out.println("[concurrency, steps] threads before: " + before);

        List<StepRuns.Launched> launched = new ArrayList<>();
        List<Boolean> failing = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            failing.add(StepGates.fails(i, o.failingEvery()));
            TestJob job = new TestJob(jenkins, "deploy-" + targets.get(i).namespace());
            launched.add(StepRuns.launch(step(i, targets.get(i), cluster, gates, o), job.newBuild()));
        }

        // All in their window once every rollout's log says its traffic moved (or it already ended).
        long deadline = System.nanoTime() + o.window().toNanos() / 2 + TimeUnit.SECONDS.toNanos(120);
        int inWindow = 0;
        while (System.nanoTime() < deadline) {
            inWindow = 0;
            for (StepRuns.Launched l : launched) {
                if (l.result().isDone() || l.log().contains("traffic now")) {
                    inWindow++;
                }
            }
            if (inWindow == n) {
                break;
            }
            Thread.sleep(250);
        }
        double allInWindow = inWindow < n ? -1 : (System.nanoTime() - started) / 1e9;
        // Requests while every rollout is in its window (until the first windows may end): what a tick costs.
        Instant steadyFrom = Instant.now();
        long steadyRequestsFrom = cluster.authorizedRequests();
        Map<String, Long> steadyKindsFrom = cluster.requestKinds();
        long windowEnds = started + o.stage().toNanos() - TimeUnit.SECONDS.toNanos(1);
        Thread.sleep(Math.min(2000, o.window().toMillis() / 4));
        double heapPeak = Concurrency.heapAfterGc();
        Map<String, Integer> peak = census.look();
        int clientsAtPeak = StepRuns.openKubernetesClients();
        System.out.printf(Locale.ROOT, "[concurrency, steps] %d of %d rollouts in their window (all after %.1f s); threads at peak: %s%n",
                inWindow, n, allInWindow, peak);
        Instant steadyTo = null;
        long steadyRequests = 0;
        long sleep = (windowEnds - System.nanoTime()) / 1_000_000;
        if (allInWindow >= 0 && sleep > 0) {
            Thread.sleep(sleep);
            steadyTo = Instant.now();
            steadyRequests = cluster.authorizedRequests() - steadyRequestsFrom;
            Map<String, Long> kinds = new java.util.TreeMap<>(cluster.requestKinds());
            kinds.replaceAll((k, v) -> v - steadyKindsFrom.getOrDefault(k, 0L));
            kinds.values().removeIf(v -> v == 0);
            System.out.printf(Locale.ROOT, "[concurrency, steps] requests while all were in their window, by kind: %s%n", kinds);
        }

        List<Object> results = new ArrayList<>();
        for (StepRuns.Launched l : launched) {
            try {
                results.add(l.result().get(o.window().toSeconds() + 600, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                results.add(e.getCause());
            }
        }
        double wall = (System.nanoTime() - started) / 1e9;
        census.look();
        double cpu = (Concurrency.processCpu() - cpuBefore) / 1e9;
        double clusterCpu = clusterBefore < 0 ? -1 : cluster.cpu().map(d -> d.toNanos() / 1e9).orElse(0.0) - clusterBefore;
        double promCpu = Concurrency.cpuOf(gates.pid()) - promBefore;
        long requests = cluster.authorizedRequests() - requestsBefore;

        // Nothing of the plugin's may outlive its rollouts: clients close once idle, their threads end.
        int clientsLeft;
        int threadsLeft;
        long leakDeadline = System.nanoTime() + CLIENT_IDLE.toNanos() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Integer> after;
        do {
            Thread.sleep(500);
            System.gc(); // a JDK HttpClient's selector thread ends once the client is unreachable
            after = census.look();
            clientsLeft = StepRuns.openKubernetesClients();
            threadsLeft = ThreadCensus.pluginThreads(after) - ThreadCensus.pluginThreads(before);
            // without a warm-up, what the plugin keeps for its lifetime counts as left: then only clients are waited for
        } while ((clientsLeft > 0 || o.warmUp() && threadsLeft > 0) && System.nanoTime() < leakDeadline);
        String leftNames = threadsLeft > 0 ? ThreadCensus.pluginThreadNames().toString() : "";

        int promoted = 0;
        int rolledBack = 0;
        int failed = 0;
        String firstFailure = null;
        List<Integer> evaluations = new ArrayList<>();
        long totalEvaluations = 0;
        long due = 0;
        long steadyTicks = 0;
        try (KubernetesClient client = cluster.newClient()) {
            RolloutEngine reader = new RolloutEngine(new FabricCluster(client, CLOCK, LeaseLock.DEFAULT_DURATION), CLOCK,
                    RolloutListener.NONE, EngineSettings.DEFAULTS);
            for (int i = 0; i < n; i++) {
                RolloutRecord record = reader.status(targets.get(i)).orElse(null);
                List<Instant> ticks = record == null ? List.of() : record.getHistory().stream().filter(e -> e.type().equals("gate"))
                        .map(RolloutEvent::at).map(Instant::parse).toList();
                int owed = failing.get(i) ? 1 : o.duePerPromoted();
                totalEvaluations += Math.min(owed, ticks.size());
                due += owed;
                if (steadyTo != null) {
                    Instant from = steadyFrom;
                    Instant to = steadyTo;
                    steadyTicks += ticks.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
                }
                Object r = results.get(i);
                String phase = r instanceof RolloutResult rr ? rr.getPhase() : null;
                if (!failing.get(i) && "PROMOTED".equals(phase)) {
                    promoted++;
                    evaluations.add(ticks.size());
                } else if (failing.get(i) && "ROLLED_BACK".equals(phase)) {
                    rolledBack++;
                } else {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = targets.get(i) + ": " + (phase != null ? phase : String.valueOf(r)) + "\n" + launched.get(i).log();
                    }
                }
            }
        }
        int expectedRolledBack = (int) failing.stream().filter(x -> x).count();
        int pluginThreads = ThreadCensus.pluginThreads(peak) - ThreadCensus.pluginThreads(before);
        return new Figures(n, promoted, rolledBack, expectedRolledBack, failed, firstFailure, wall, allInWindow, new Stats(evaluations),
                totalEvaluations, due, requests, steadyRequests, steadyTicks, before, peak, pluginThreads,
                clientsAtPeak, heapBefore, heapPeak, cpu, census.cpuSeconds(), clusterCpu, promCpu, clientsLeft, threadsLeft, leftNames);
    }
}
