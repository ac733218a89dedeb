package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.Sleeper;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped gates on a production-like Prometheus: the templates with their {@code [1m]} rate windows, 60 s sustain
 * and 10 s interval, a 5 % canary. Right after the shift the candidate has no data for a scrape or two; the analysis
 * must wait for it (warm-up) instead of counting it inconclusive and rolling a healthy version back, and must still
 * catch a faulty one. The scrape interval is read from the server, as the steps do.
 *
 * <p>Every scenario runs at 15 s scrapes and at kube-prometheus' default of 30 s, on one lab per interval: the labs
 * start together and each test runs its scenario on both at once, so the class takes about as long as the 30 s run
 * alone (about 4 min 30 s) rather than both added up. A failure names the interval it came from.
 */
// Per test method, so for the slower 30 s run: newRollout's data waits (2 × 75 s at most) and its longest window (210 s)
// Mostly waiting for scrapes: it runs beside the rest of the suite (see the surefire configuration of central/plugin).
@Execution(ExecutionMode.CONCURRENT)
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ProductionScrapeTest {

    private static final List<Duration> SCRAPES = List.of(Duration.ofSeconds(15), Duration.ofSeconds(30));
    private static final String OWNER = EngineLab.OWNER;
    private static final Sleeper REAL_TIME = Sleeper.of(Clock.systemUTC());

    @TempDir
    static Path dir;
    static final List<AtScrape> LABS = SCRAPES.stream().map(AtScrape::new).toList();

    // Lifecycle methods are outside the class-level timeout; each lab bounds its own waits, this bounds the whole.
    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void startLabs() throws Exception {
        onEveryLab("starting the lab", at -> at.start(dir));
    }

    @AfterAll
    static void stopLabs() {
        RuntimeException failed = null;
        for (AtScrape at : LABS) { // every lab that started, also when another did not
            try {
                at.close();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD) // one scenario at a time on the labs: the faulty one makes green fail
    void aHealthyCanaryWaitsForItsFirstSamplesAndPasses() throws Exception {
        onEveryLab("a healthy canary", AtScrape::healthyCanaryPasses);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD) // one scenario at a time on the labs: the faulty one makes green fail
    void anEightPercentErrorCanaryIsRolledBack() throws Exception {
        onEveryLab("an 8 %-error canary", AtScrape::faultyCanaryIsRolledBack);
    }

    /** A scenario on one lab; throws on failure. */
    @FunctionalInterface
    private interface Scenario {
        void run(AtScrape at) throws Exception;
    }

    /**
     * Runs {@code scenario} on every lab at once, waits for all (a failure does not stop the others, so every
     * interval reports) and fails naming each one that failed. When the caller is interrupted (a timeout), the runs
     * are interrupted and awaited, so nothing touches a lab after its test.
     */
    private static void onEveryLab(String what, Scenario scenario) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(LABS.size(), LabApp.daemon("production-scrape"));
        List<Executable> failures = new ArrayList<>();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (AtScrape at : LABS) {
                runs.add(pool.submit(() -> {
                    long from = System.nanoTime();
                    try {
                        scenario.run(at);
                    } finally {
                        System.out.println("[ProductionScrapeTest] " + what + " at " + at + ": "
                                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - from) + " s");
                    }
                    return null;
                }));
            }
            for (int i = 0; i < LABS.size(); i++) {
                String where = what + " at " + LABS.get(i);
                try {
                    runs.get(i).get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.add(() -> {
                        throw new AssertionError(where + ": " + cause, cause);
                    });
                }
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                System.err.println("[ProductionScrapeTest] " + what + ": a run ignored its interrupt for 30 s");
            }
        }
        assertAll(what, failures);
    }

    /** One scrape interval: its lab, and the scenarios with their windows derived from the interval. */
    static final class AtScrape implements AutoCloseable {
        final Duration scrape;
        /** Long enough for the first samples (up to two scrapes) and three evaluations with data at 10 s. */
        final Duration healthyWindow;
        /**
         * An upper bound: the failing gate ends the window once 60 s of breach are in (seen: 60 to 80 s after the
         * shift at 15 s, 70 to 90 s at 30 s).
         */
        final Duration faultWindow;
        private volatile TrafficLab lab;

        AtScrape(Duration scrape) {
            this.scrape = scrape;
            this.healthyWindow = scrape.multipliedBy(2).plusSeconds(30);
            this.faultWindow = scrape.multipliedBy(4).plusSeconds(90);
        }

        /** Starts this interval's lab in its own directory: the labs share nothing but the machine. */
        void start(Path parent) {
            lab = TrafficLab.start(parent.resolve(scrape.toSeconds() + "s"),
                    TrafficLab.Options.defaults().withScrapeInterval(scrape));
        }

        @Override
        public void close() {
            if (lab != null) {
                lab.close();
            }
        }

        /** The step's default gates with everything as shipped, and the warm-up the steps derive from the server. */
        private PrometheusAnalysis shippedAnalysis(EngineLab k8s) throws Exception {
            List<Gate> gates = List.of(GateTemplate.ERROR_RATE.gate(k8s.target, Color.GREEN),
                    GateTemplate.P95_LATENCY.gate(k8s.target, Color.GREEN));
            Duration read = lab.prometheus().scrapeInterval().orElseThrow();
            assertEquals(scrape, read, "read from /api/v1/status/config");
            GateAnalysis analysis = GateAnalysis.forWindow(gates, read, null, GateAnalysis.DEFAULT_MIN_EVALUATIONS);
            assertEquals(scrape.multipliedBy(2).plusMinutes(1), analysis.longestWarmUp(),
                    "2 × scrape interval + the 1 min rate window");
            return new PrometheusAnalysis(lab.prometheus(), analysis);
        }

        private RolloutEngine shiftGreenTo5Percent(EngineLab k8s) throws InterruptedException {
            RolloutEngine engine = k8s.engine();
            engine.deploy(k8s.manifest("1.0.0"));
            engine.deploy(k8s.image("2.0.0"));
            engine.shift(k8s.target, 5, OWNER);
            assertTrue(lab.load().awaitWeights(Weights.of(Color.GREEN, 5), Duration.ofSeconds(5)), lab.load().toString());
            return engine;
        }

        private String explain(Verification v) {
            return v.message() + "\n  " + String.join("\n  ", v.evaluations()) + "\n  " + lab.load();
        }

        void healthyCanaryPasses() throws Exception {
            EngineLab k8s = lab.newRollout();
            RolloutEngine engine = shiftGreenTo5Percent(k8s);
            Verification v = engine.verify(k8s.target, shippedAnalysis(k8s), healthyWindow, REAL_TIME, OWNER, true);

            assertEquals(Verdict.PASS, v.verdict(), () -> explain(v));
            assertTrue(v.evaluations().stream().anyMatch(e -> e.contains("warming up")),
                    () -> "it had to wait: " + explain(v));
            assertEquals(Phase.SHIFTED, v.record().getPhase());
            assertEquals(Phase.PROMOTED, engine.promote(k8s.target, OWNER).record().getPhase());
        }

        void faultyCanaryIsRolledBack() throws Exception {
            EngineLab k8s = lab.newRollout();
            lab.app(Color.GREEN).setErrorRate(0.08);
            long faultFrom = System.nanoTime();
            RolloutEngine engine = shiftGreenTo5Percent(k8s);
            Verification v = engine.verify(k8s.target, shippedAnalysis(k8s), faultWindow, REAL_TIME, OWNER, true);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - faultFrom);

            assertEquals(Verdict.FAIL, v.verdict(), () -> explain(v));
            assertEquals(Phase.ROLLED_BACK, v.record().getPhase(), () -> explain(v));
            assertTrue(v.record().getRollback().reason().contains("errorRate FAIL"), v.record().getRollback().reason());
            assertEquals(Weights.all(Color.BLUE), k8s.liveWeights());
            System.out.println("[ProductionScrapeTest] 8 % errors at 5 %, " + this + ": fault to rollback in "
                    + seconds + " s");
        }

        @Override
        public String toString() {
            return scrape.toSeconds() + " s scrapes";
        }
    }
}
