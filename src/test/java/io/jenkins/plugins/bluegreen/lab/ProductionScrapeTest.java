package io.jenkins.plugins.bluegreen.lab;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped gates on a production-like Prometheus: scraping every 15 s, the templates with their {@code [1m]} rate
 * windows, 60 s sustain and 10 s interval, a 5 % canary. Right after the shift the candidate has no data for a scrape or
 * two; the analysis must wait for it (warm-up) instead of counting it inconclusive and rolling a healthy version back,
 * and must still catch a faulty one. The scrape interval is read from the server, as the steps do.
 *
 * <p>CI runs it at 15 s; {@code -Dbluegreen.lab.scrapeSeconds=30} runs it at kube-prometheus' default (about 4 min).
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ProductionScrapeTest {

    private static final Duration SCRAPE = Duration.ofSeconds(Long.getLong("bluegreen.lab.scrapeSeconds", 15));
    private static final String OWNER = EngineLab.OWNER;
    private static final Sleeper REAL_TIME = Sleeper.of(Clock.systemUTC());
    /** Long enough for the first samples (up to two scrapes) and three evaluations with data at 10 s. */
    private static final Duration HEALTHY_WINDOW = SCRAPE.multipliedBy(2).plusSeconds(30);
    /** An upper bound: the failing gate ends the window once 60 s of breach are in (seen: 60 to 80 s after the shift at 15 s). */
    private static final Duration FAULT_WINDOW = SCRAPE.multipliedBy(4).plusSeconds(90);

    @TempDir
    static Path dir;
    static TrafficLab lab;

    @BeforeAll
    static void startLab() {
        lab = TrafficLab.start(dir, TrafficLab.Options.defaults().withScrapeInterval(SCRAPE));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** The step's default gates with everything as shipped, and the warm-up the steps derive from the server. */
    private static PrometheusAnalysis shippedAnalysis(EngineLab k8s) throws Exception {
        List<Gate> gates = List.of(GateTemplate.ERROR_RATE.gate(k8s.target, Color.GREEN),
                GateTemplate.P95_LATENCY.gate(k8s.target, Color.GREEN));
        Duration scrape = lab.prometheus().scrapeInterval().orElseThrow();
        assertEquals(SCRAPE, scrape, "read from /api/v1/status/config");
        GateAnalysis analysis = GateAnalysis.forWindow(gates, scrape, null, GateAnalysis.DEFAULT_MIN_EVALUATIONS);
        assertEquals(SCRAPE.multipliedBy(2).plusMinutes(1), analysis.longestWarmUp(), "2 × scrape interval + the 1 min rate window");
        return new PrometheusAnalysis(lab.prometheus(), analysis);
    }

    private static RolloutEngine shiftGreenTo5Percent(EngineLab k8s) throws InterruptedException {
        RolloutEngine engine = k8s.engine();
        engine.deploy(k8s.manifest("1.0.0"));
        engine.deploy(k8s.image("2.0.0"));
        engine.shift(k8s.target, 5, OWNER);
        assertTrue(lab.load().awaitWeights(Weights.of(Color.GREEN, 5), Duration.ofSeconds(5)), lab.load().toString());
        return engine;
    }

    private static String explain(Verification v) {
        return v.message() + "\n  " + String.join("\n  ", v.evaluations()) + "\n  " + lab.load();
    }

    @Test
    void aHealthyCanaryWaitsForItsFirstSamplesAndPasses() throws Exception {
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = shiftGreenTo5Percent(k8s);
        Verification v = engine.verify(k8s.target, shippedAnalysis(k8s), HEALTHY_WINDOW, REAL_TIME, OWNER, true);

        assertEquals(Verdict.PASS, v.verdict(), () -> explain(v));
        assertTrue(v.evaluations().stream().anyMatch(e -> e.contains("warming up")), () -> "it had to wait: " + explain(v));
        assertEquals(Phase.SHIFTED, v.record().getPhase());
        assertEquals(Phase.PROMOTED, engine.promote(k8s.target, OWNER).record().getPhase());
    }

    @Test
    void anEightPercentErrorCanaryIsRolledBack() throws Exception {
        EngineLab k8s = lab.newRollout();
        lab.app(Color.GREEN).setErrorRate(0.08);
        long faultFrom = System.nanoTime();
        RolloutEngine engine = shiftGreenTo5Percent(k8s);
        Verification v = engine.verify(k8s.target, shippedAnalysis(k8s), FAULT_WINDOW, REAL_TIME, OWNER, true);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - faultFrom);

        assertEquals(Verdict.FAIL, v.verdict(), () -> explain(v));
        assertEquals(Phase.ROLLED_BACK, v.record().getPhase(), () -> explain(v));
        assertTrue(v.record().getRollback().reason().contains("errorRate FAIL"), v.record().getRollback().reason());
        assertEquals(Weights.all(Color.BLUE), k8s.liveWeights());
        System.out.println("[ProductionScrapeTest] 8 % errors at 5 %, " + SCRAPE.toSeconds()
                + " s scrapes: fault to rollback in " + seconds + " s");
    }
}
