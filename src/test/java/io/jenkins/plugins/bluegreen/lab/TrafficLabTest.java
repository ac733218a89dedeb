package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Analysis;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.ForwardingAnalysis;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Sleeper;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateEvaluator;
import io.jenkins.plugins.bluegreen.metrics.MannWhitneyJudge;
import io.jenkins.plugins.bluegreen.metrics.StableComparison;
import io.jenkins.plugins.bluegreen.metrics.TrafficShare;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the traffic lab, in real time: the engine shifts real traffic between real apps, a real Prometheus
 * scrapes them and postgres_exporter, and the built-in gate templates decide. The templates' PromQL and thresholds
 * are used as shipped; only the windows are lab-sized (rate over 10 s instead of 1 min, sustained for 3 s, evaluated
 * every second) so that the class takes seconds, not minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TrafficLabTest {

    private static final String OWNER = EngineLab.OWNER;
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Sleeper REAL_TIME = Sleeper.of(CLOCK);
    /** Long enough for six evaluations of each gate on fresh data at every step. */
    private static final Duration STEP_WINDOW = Duration.ofSeconds(5);
    /** An upper bound: a failing gate ends the window at once (seen: about 5 to 8 s after the shift). */
    private static final Duration FAULT_WINDOW = Duration.ofSeconds(30);
    private static final Duration LAB_RATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration LAB_SUSTAIN = Duration.ofSeconds(3);
    private static final Duration LAB_INTERVAL = Duration.ofSeconds(1);
    /** Low, so that holding 90 % of it costs a few dozen connections. */
    private static final int MAX_CONNECTIONS = 40;

    @TempDir
    static Path dir;
    static TrafficLab lab;

    @BeforeAll
    static void startLab() {
        lab = TrafficLab.start(dir, TrafficLab.Options.defaults().withMaxConnections(MAX_CONNECTIONS));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** The three built-in gates for green, as a Pipeline would configure them, with lab-sized windows. */
    static List<Gate> gates(EngineLab k8s) {
        return TrafficLab.gates(k8s.target, Color.GREEN, LAB_RATE_WINDOW, LAB_SUSTAIN, LAB_INTERVAL);
    }

    private static Gate labSized(Gate template) {
        return TrafficLab.labSized(template, LAB_RATE_WINDOW, LAB_SUSTAIN, LAB_INTERVAL);
    }

    private static PrometheusAnalysis analysis(List<Gate> gates) {
        return new PrometheusAnalysis(lab.prometheus(), new GateAnalysis(gates));
    }

    /** Blue 1.0.0 live with all traffic, green 2.0.0 deployed and ready without traffic. */
    private static RolloutEngine deployGreen(EngineLab k8s) {
        RolloutEngine engine = k8s.engine();
        engine.deploy(k8s.manifest("1.0.0"));
        engine.deploy(k8s.image("2.0.0"));
        assertEquals(Weights.all(Color.BLUE), k8s.liveWeights());
        return engine;
    }

    /** Shifts through the engine and waits until the load generator has read the new weights from the router object. */
    private static void shift(RolloutEngine engine, EngineLab k8s, int percent) throws InterruptedException {
        engine.shift(k8s.target, percent, OWNER);
        Weights expected = Weights.of(Color.GREEN, percent);
        assertEquals(expected, k8s.liveWeights());
        assertTrue(lab.load().awaitWeights(expected, Duration.ofSeconds(5)), "the load follows the VirtualService: " + lab.load());
    }

    private static String explain(Verification v) {
        return v.message() + "\n  " + String.join("\n  ", v.evaluations()) + "\n  " + lab.load();
    }

    @Test
    @Order(1)
    void aHealthyGreenPassesEveryGateAt5And50And100PercentAndIsPromoted() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        for (int percent : new int[] {5, 50, 100}) {
            shift(engine, k8s, percent);
            lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
            Map<Color, Long> before = lab.served();
            Verification v = engine.verify(k8s.target, analysis(gates(k8s)), STEP_WINDOW, REAL_TIME, OWNER, true);
            Map<Color, Long> after = lab.served();

            assertEquals(Verdict.PASS, v.verdict(), () -> percent + " %: " + explain(v));
            assertTrue(v.evaluations().size() >= 9, () -> "each gate evaluated several times: " + explain(v));
            assertTrue(v.evaluations().stream().noneMatch(e -> e.contains(" FAIL ")), () -> explain(v));
            assertEquals(Phase.SHIFTED, v.record().getPhase());
            assertEquals(Weights.of(Color.GREEN, percent), k8s.liveWeights());
            long green = after.get(Color.GREEN) - before.get(Color.GREEN);
            long blue = after.get(Color.BLUE) - before.get(Color.BLUE);
            assertTrue(green + blue > 200, "the apps served real traffic during the window: " + lab.load());
            assertEquals(percent / 100.0, green / (double) (green + blue), 0.03,
                    "green's share of the requests the apps answered at " + percent + " %");
        }
        RolloutRecord promoted = engine.promote(k8s.target, OWNER).record();
        assertEquals(Phase.PROMOTED, promoted.getPhase());
        assertNotNull(promoted.getPromotedAt());
        assertNull(promoted.getRollback());
        assertEquals(Weights.all(Color.GREEN), k8s.liveWeights());
    }

    @Test
    @Order(2)
    void greenAtSixPercentErrorsIsRolledBackByTheErrorRateGate() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        lab.app(Color.GREEN).setErrorRate(0.06);
        shift(engine, k8s, 5);
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        Verification v = engine.verify(k8s.target, analysis(gates(k8s)), FAULT_WINDOW, REAL_TIME, OWNER, true);
        // the ratio over 10 s of a 6 % fault: a few requests either way of 0.06, always far above 0.01
        assertRolledBackBy(v, k8s, "errorRate", value -> value > 0.01 && value < 0.2);
    }

    @Test
    @Order(3)
    void greenWithOneAndAHalfSecondsMoreLatencyIsRolledBackByTheP95Gate() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        lab.app(Color.GREEN).setAddedLatency(Duration.ofMillis(1500));
        shift(engine, k8s, 5);
        // as a pipeline lets a step warm up: the first answers come 1.5 s late, and until then there is no data
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        Verification v = engine.verify(k8s.target, analysis(gates(k8s)), FAULT_WINDOW, REAL_TIME, OWNER, true);
        // every request lands in the (1, 2.5] bucket: histogram_quantile interpolates inside it
        assertRolledBackBy(v, k8s, "p95Latency", value -> value > 1.0 && value <= 2.5);
    }

    @Test
    @Order(4)
    void greenHoldingConnectionsPast90PercentOfMaxConnectionsIsRolledBackByTheConnectionGate() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        shift(engine, k8s, 5);
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        int held = lab.holdConnectionsUntil(Color.GREEN, 0.92);
        assertTrue(held > 0);
        Verification v = engine.verify(k8s.target, analysis(gates(k8s)), FAULT_WINDOW, REAL_TIME, OWNER, true);
        // counted by postgres_exporter from pg_stat_database, over pg_settings_max_connections
        assertRolledBackBy(v, k8s, "dbConnectionRatio", value -> value >= 0.9 && value < 1.0);
    }

    /** trafficShare as a step builds it: the candidate's share since the window began against its configured weight. */
    private static PrometheusAnalysis trafficShare(EngineLab k8s, int weight) {
        Gate share = GateTemplate.TRAFFIC_SHARE.gate(k8s.target, Color.GREEN).withInterval(LAB_INTERVAL);
        return new PrometheusAnalysis(lab.prometheus(), GateAnalysis.forWindow(List.of(share), TrafficLab.SCRAPE_INTERVAL, null, 3)
                .withTrafficShare(share.name(), new TrafficShare(k8s.namespace, TrafficLab.SERVICE, "green", weight, 20)));
    }

    @Test
    @Order(5)
    void trafficShareFailsWhenTheCandidateGetsNoneOfItsWeightAndPassesWhenItGetsIt() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        shift(engine, k8s, 50);
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        Verification flowing = engine.verify(k8s.target, trafficShare(k8s, 50), STEP_WINDOW, REAL_TIME, OWNER, true);
        assertEquals(Verdict.PASS, flowing.verdict(), () -> explain(flowing));

        // The router says 50 %, but nothing reaches green (as a mesh without endpoints for it).
        lab.load().sendOnlyTo(Map.of(Color.BLUE, lab.app(Color.BLUE).url()));
        Verification v = engine.verify(k8s.target, trafficShare(k8s, 50), FAULT_WINDOW, REAL_TIME, OWNER, true);
        assertEquals(Verdict.FAIL, v.verdict(), () -> explain(v));
        assertEquals(Phase.ROLLED_BACK, v.record().getPhase());
        String reason = v.record().getRollback().reason();
        System.out.println("[traffic lab] trafficShare: " + reason);
        assertTrue(reason.matches("(?s).*trafficShare FAIL .*configured 50 %, observed 0\\.0 % of [0-9,]+ requests.*"), reason);
    }

    @Test
    @Order(6)
    void p95AgainstStableEqualColoursPassAThreeTimesSlowerCandidateFails() throws Exception {
        String reason = equalColoursThenThreeTimesSlower(STEP_WINDOW, (own, stable) -> {
            Gate vsStable = StableComparison.ratio(own, stable, 1.2);
            return new PrometheusAnalysis(lab.prometheus(), GateAnalysis.forWindow(List.of(own, vsStable),
                    TrafficLab.SCRAPE_INTERVAL, null, 3).withStableValue(vsStable.name(), GateEvaluator.valueQuery(stable)));
        }, e -> e.startsWith("p95Latency / stable PASS") && e.contains("; stable 0.0"));
        System.out.println("[traffic lab] p95Latency / stable: " + reason);
        assertTrue(reason.contains("p95Latency / stable FAIL") && reason.contains("(fails when > 1.2)")
                && reason.contains("; stable 0.0"), reason);
    }

    /** The statistical form: the same two colours, judged by a one-sided Mann-Whitney U test on per-second values. */
    @Test
    @Order(7)
    void p95JudgedStatisticallyEqualColoursPassAThreeTimesSlowerCandidateFails() throws Exception {
        // six samples a colour at 1 s, and three evaluations with data
        String reason = equalColoursThenThreeTimesSlower(Duration.ofSeconds(15), (own, stable) -> {
            Gate judged = MannWhitneyJudge.gate(own, MannWhitneyJudge.DEFAULT_CONFIDENCE);
            return new PrometheusAnalysis(lab.prometheus(), GateAnalysis.forWindow(List.of(own, judged),
                    TrafficLab.SCRAPE_INTERVAL, null, 3).withJudge(judged.name(), new MannWhitneyJudge(
                    GateEvaluator.valueQuery(stable), MannWhitneyJudge.DEFAULT_TOLERANCE)));
        }, e -> e.startsWith("p95Latency vs stable PASS")
                && e.contains("not worse than stable with the confidence asked: one-sided Mann-Whitney U"));
        System.out.println("[traffic lab] p95Latency vs stable: " + reason);
        assertTrue(reason.contains("p95Latency vs stable FAIL") && reason.contains("(fails when > 0.98), worse than stable at"
                + " every evaluation for 3 s: one-sided Mann-Whitney U"), reason);
    }

    /**
     * Both colours at 50 ms and half the traffic each: the analysis passes, with an evaluation that {@code comparing}
     * matches; then green at 150 ms: it fails on the comparison alone (far below the fixed 1 s), and the rollback's
     * reason is returned.
     */
    private static String equalColoursThenThreeTimesSlower(Duration equalWindow, BiFunction<Gate, Gate, PrometheusAnalysis> analysis,
            Predicate<String> comparing) throws Exception {
        EngineLab k8s = lab.newRollout();
        lab.app(Color.BLUE).setAddedLatency(Duration.ofMillis(50));
        lab.app(Color.GREEN).setAddedLatency(Duration.ofMillis(50));
        RolloutEngine engine = deployGreen(k8s);
        shift(engine, k8s, 50);
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        Gate own = labSized(GateTemplate.P95_LATENCY.gate(k8s.target, Color.GREEN));
        Gate stable = labSized(GateTemplate.P95_LATENCY.gate(k8s.target, Color.BLUE));

        Verification equal = engine.verify(k8s.target, analysis.apply(own, stable), equalWindow, REAL_TIME, OWNER, true);
        assertEquals(Verdict.PASS, equal.verdict(), () -> explain(equal));
        assertTrue(equal.evaluations().stream().anyMatch(comparing), () -> "compared with the stable colour: " + explain(equal));

        lab.app(Color.GREEN).setAddedLatency(Duration.ofMillis(150));
        Verification slower = engine.verify(k8s.target, analysis.apply(own, stable), FAULT_WINDOW, REAL_TIME, OWNER, true);
        assertEquals(Verdict.FAIL, slower.verdict(), () -> explain(slower));
        String reason = slower.record().getRollback().reason();
        assertFalse(reason.contains("p95Latency FAIL"), "150 ms is far below the fixed 1 s threshold: " + reason);
        return reason;
    }

    @Test
    @Order(8) // last: it stops the lab's Prometheus
    void prometheusStoppedMidAnalysisIsInconclusiveAndNothingIsPromoted() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = deployGreen(k8s);
        shift(engine, k8s, 50);
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        Gate patient = labSized(GateTemplate.ERROR_RATE.gate(k8s.target, Color.GREEN)).withInconclusiveLimit(0);
        Analysis stopsPrometheusAfterTwoEvaluations = new StoppingAnalysis(analysis(List.of(patient)), 2);

        Verification v = engine.verify(k8s.target, stopsPrometheusAfterTwoEvaluations, Duration.ofSeconds(6), REAL_TIME,
                OWNER, true);

        assertFalse(lab.prometheusProcess().isAlive());
        assertEquals(Verdict.INCONCLUSIVE, v.verdict(), () -> explain(v));
        assertTrue(v.message().startsWith("the analysis was inconclusive over 6 s") && v.message().endsWith("not promoting"),
                v.message());
        List<String> evaluations = v.evaluations();
        assertTrue(evaluations.get(0).startsWith("errorRate PASS") && evaluations.get(1).startsWith("errorRate PASS"),
                () -> "measured while Prometheus ran: " + explain(v));
        String last = evaluations.get(evaluations.size() - 1);
        assertTrue(last.startsWith("errorRate INCONCLUSIVE") && last.contains("provider error"), () -> explain(v));
        assertEquals(Phase.SHIFTED, k8s.record().getPhase(), "neither promoted nor rolled back");
        assertNull(k8s.record().getRollback());
        assertEquals(Weights.of(Color.GREEN, 50), k8s.liveWeights());

        // The policy is the caller's: here "inconclusive means roll back".
        RolloutRecord after = engine.rollback(k8s.target, "analysis inconclusive: " + v.message(), null, OWNER).record();
        assertEquals(Phase.ROLLED_BACK, after.getPhase());
        assertEquals(Weights.all(Color.BLUE), k8s.liveWeights());
    }

    /** Passes everything through, and stops the lab's Prometheus once {@code after} ticks have evaluated gates. */
    private static final class StoppingAnalysis extends ForwardingAnalysis {
        private final int after;
        private int evaluated;

        StoppingAnalysis(Analysis delegate, int after) {
            super(delegate);
            this.after = after;
        }

        @Override
        protected void afterTick(List<io.jenkins.plugins.bluegreen.engine.Evaluation> found, Instant now) {
            // counted by evaluations, not by sleeps: the engine may wake early and tick with nothing due
            if (!found.isEmpty() && ++evaluated == after) {
                lab.stopPrometheus();
            }
        }
    }

    /**
     * The rollback names the gate and its value, knows when the breach began and how long recovery took, and
     * traffic is back on blue, both in the router object and in what the load generator sends.
     */
    private static void assertRolledBackBy(Verification v, EngineLab k8s, String gate, DoublePredicate plausibleValue)
            throws InterruptedException {
        assertEquals(Verdict.FAIL, v.verdict(), () -> explain(v));
        RolloutRecord r = v.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        Rollback rollback = r.getRollback();
        assertNotNull(rollback);
        String reason = rollback.reason();
        Matcher m = Pattern.compile("^gate failed: " + gate + " FAIL at (\\S+): value ([0-9.]+) ").matcher(reason);
        assertTrue(m.find(), reason);
        double value = Double.parseDouble(m.group(2));
        assertTrue(plausibleValue.test(value), "value " + value + " in: " + reason);
        for (String other : List.of("errorRate", "p95Latency", "dbConnectionRatio")) {
            if (!other.equals(gate)) {
                assertFalse(reason.contains(other + " FAIL"), "only " + gate + " failed: " + reason);
            }
        }

        assertNotNull(rollback.detectedAt(), reason);
        Instant detected = Instant.parse(rollback.detectedAt());
        Instant failedAt = Instant.parse(m.group(1));
        assertFalse(detected.isAfter(failedAt), "detected at the first failing sample, not later than the verdict");
        assertNotNull(rollback.recoveryMillis());
        assertEquals(Duration.between(detected, Instant.parse(rollback.completedAt())).toMillis(), rollback.recoveryMillis(),
                "time to revert runs from the first failing sample to blue serving everything");

        // a reported figure, not an assertion: time to revert depends on the machine's load
        System.out.println("[traffic lab] " + gate + ": recovered in " + rollback.recoveryMillis() + " ms; " + reason);

        assertEquals(Weights.all(Color.BLUE), k8s.liveWeights());
        assertEquals(0, k8s.replicas(Color.GREEN));
        assertTrue(lab.load().awaitWeights(Weights.all(Color.BLUE), Duration.ofSeconds(5)), lab.load().toString());
        long greenSent = lab.load().sent(Color.GREEN);
        Thread.sleep(500);
        assertEquals(greenSent, lab.load().sent(Color.GREEN), "no request goes to green any more");
    }
}
