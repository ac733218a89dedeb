package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Analysis;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.ForwardingAnalysis;
import io.jenkins.plugins.bluegreen.engine.Evaluation;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.Sleeper;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.lab.TrafficLab;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateEvaluator;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TEST CODE, benchmark (b): how long a sustained breach takes to become a FAIL verdict, on the traffic lab (real apps,
 * real load, a real Prometheus scraping every second). Green gets 50 % of the traffic and the built-in error-rate gate
 * exactly as shipped (rate over 1m, above 1 % for 60 s) evaluated every second; after five passing evaluations the
 * lab switches errors on in green (T0), and the time from T0 to the evaluation that returns FAIL is the detection time.
 * It splits into the signal's lag (T0 to the first instant Prometheus sees the ratio above 1 %, the breach start the
 * gate reports) and the sustain window (that instant to the verdict).
 */
public final class DetectionTime {

    /** The load generator of the lab stops after 10 minutes. */
    private static final int MAX_RUNS = 6;

    private DetectionTime() {
    }

    public static void main(String[] argv) throws Exception {
        Benchmarks.main(RevertLatency.prepend("detection", argv));
    }

    /**
     * Reads {@code --detection-errors f1,f2,..} (1.0): one run per error fraction switched on in green at T0; and
     * {@code --detection-before N} (5): passing evaluations (one a second) of the gate before T0.
     */
    static Benchmarks.Benchmark from(BenchOptions o) {
        int before = o.detectionBefore;
        List<Double> fractions = new ArrayList<>(o.detectionErrors);
        if (fractions.size() > MAX_RUNS) {
            throw new IllegalArgumentException("at most " + MAX_RUNS + " detection runs (the lab's load stops after 10 minutes)");
        }
        return report -> run(fractions, before, report);
    }

    /** One run, instants from the real clock. */
    record Run(double errorFraction, long servedBefore, double detection, double signalLag, double sustained, String verdict,
               Long recoveryMillis) {}

    static void run(List<Double> fractions, int before, Report report) throws Exception {
        Gate shipped = GateTemplate.ERROR_RATE.gate("ns", "svc", "green").withInterval(Duration.ofSeconds(1));
        System.out.printf(Locale.ROOT, "[detection] %d run(s) on the traffic lab, gate %s every 1 s, fault after %d passes%n",
                fractions.size(), shipped.describe(), before);
        List<Run> runs = measure(fractions, before);
        String b = "(b) detection";
        for (Run r : runs) {
            String what = String.format(Locale.ROOT, "%.0f %% errors at T0 (green served %d s before)", r.errorFraction() * 100,
                    r.servedBefore());
            report.add(b, "T0 -> FAIL verdict, " + what, String.format(Locale.ROOT, "%.1f s", r.detection()), "<= 62 s",
                    r.detection() <= 62);
            report.add(b, "  of which signal lag (T0 -> breach start)", String.format(Locale.ROOT, "%.1f s", r.signalLag()));
            report.add(b, "  of which sustain (breach start -> verdict)", String.format(Locale.ROOT, "%.1f s", r.sustained()));
            report.add(b, "  rollback recorded", r.recoveryMillis() == null ? "-" : r.recoveryMillis() + " ms from breach start");
        }
        report.note(b, "sustain check = " + GateEvaluator.sustainedQuery(shipped).replace("\"svc\"", "...").replace("\"ns\"", "...")
                + ": Prometheus evaluates the breach at every whole second of the last 60 s (a subquery's steps are aligned"
                + " to the epoch) and min_over_time is 1 only when all of them breached; so the verdict can come no earlier"
                + " than about 60 s after the first breached step, plus up to 1 s until the next evaluation, plus the time the"
                + " ratio of the rate over 1m needs to cross 1 % after the fault: one or two 1 s scrapes for a hard fault, or for a"
                + " small one while the 1m window holds little clean traffic; about 10 s for 6 % after a minute of clean traffic.");
    }

    static List<Run> measure(List<Double> fractions, int before) throws Exception {
        Clock clock = Clock.systemUTC();
        List<Run> runs = new ArrayList<>();
        Path dir = Files.createTempDirectory("bg-bench-lab-");
        try (TrafficLab lab = TrafficLab.start(dir, TrafficLab.Options.defaults())) {
            for (double fraction : fractions) {
                EngineLab k8s = lab.newRollout();
                RolloutEngine engine = k8s.engine();
                engine.deploy(k8s.manifest("1.0.0"));
                engine.deploy(k8s.image("2.0.0"));
                engine.shift(k8s.target, 50, EngineLab.OWNER);
                if (!lab.load().awaitWeights(Weights.of(Color.GREEN, 50), Duration.ofSeconds(5))) {
                    throw new IllegalStateException("the load did not follow the shift: " + lab.load());
                }
                lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
                Instant greenServing = Instant.now();
                Gate gate = GateTemplate.ERROR_RATE.gate(k8s.target, Color.GREEN).withInterval(Duration.ofSeconds(1));
                FaultAfter analysis = new FaultAfter(new PrometheusAnalysis(lab.prometheus(), new GateAnalysis(List.of(gate))), before,
                        () -> lab.app(Color.GREEN).setErrorRate(fraction));
                Verification v = engine.verify(k8s.target, analysis, gate.sustain().plusSeconds(60 + before), Sleeper.of(clock),
                        EngineLab.OWNER, true);
                if (v.verdict() != Verdict.FAIL || analysis.injectedAt == null || v.record().getPhase() != Phase.ROLLED_BACK) {
                    throw new IllegalStateException("no FAIL verdict after the fault: " + v.message());
                }
                Instant breachStart = analysis.firstFailureAt().orElseThrow();
                runs.add(new Run(fraction, Duration.between(greenServing, analysis.injectedAt).toSeconds(), (analysis.failedNanos - analysis.injectedNanos) / 1e9,
                        Duration.between(analysis.injectedAt, breachStart).toMillis() / 1000.0,
                        Duration.between(breachStart, analysis.failedAt).toMillis() / 1000.0, v.message(),
                        v.record().getRollback().recoveryMillis()));
                System.out.println("[detection] " + v.record().getRollback().reason());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return runs;
    }

    /**
     * Passes the gates through; after {@code passes} evaluations switches the fault on (T0), and notes when the first
     * FAIL verdict returned to the engine.
     */
    private static final class FaultAfter extends ForwardingAnalysis {
        private final int passes;
        private final Runnable fault;
        private int evaluations;
        Instant injectedAt;
        long injectedNanos;
        Instant failedAt;
        long failedNanos;

        FaultAfter(Analysis delegate, int passes, Runnable fault) {
            super(delegate);
            this.passes = passes;
            this.fault = fault;
        }

        @Override
        protected void afterTick(List<Evaluation> found, Instant now) {
            if (!found.isEmpty() && injectedAt == null && ++evaluations == passes) {
                if (delegate.verdict() != Verdict.PASS) {
                    throw new IllegalStateException("the gate did not pass before the fault: " + found);
                }
                fault.run();
                injectedNanos = System.nanoTime();
                injectedAt = Instant.now();
            }
            if (failedAt == null && delegate.verdict() == Verdict.FAIL) {
                failedNanos = System.nanoTime();
                failedAt = now;
            }
        }
    }
}
