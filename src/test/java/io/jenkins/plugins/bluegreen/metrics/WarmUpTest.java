package io.jenkins.plugins.bluegreen.metrics;

import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The warm-up after a shift and the minimum of evaluations with data, on backfilled data ({@link GateTestData}). */
class WarmUpTest {

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    private static Gate errorRate(String service) {
        return GateTemplate.ERROR_RATE.gate("shop", service, "green").withName(service);
    }

    @Test
    void theDefaultWarmUpIsTwoScrapesPlusTheGatesRange() {
        assertEquals(Duration.ofSeconds(90), WarmUp.of(errorRate("x"), Duration.ofSeconds(15)));
        assertEquals(Duration.ofSeconds(120), WarmUp.of(errorRate("x"), Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(2), WarmUp.of(GateTemplate.DB_CONNECTION_RATIO.gate("a", "b", "green"),
                Duration.ofSeconds(1)), "no range: two scrapes");
        assertEquals(Duration.ofSeconds(90), WarmUp.rangeOf("max_over_time(x[1m30s]) + rate(y[5s])"));
        assertEquals(Duration.ofMinutes(5), WarmUp.rangeOf("min_over_time((x > bool 1)[5m:10s])"));
        assertEquals(Duration.ZERO, WarmUp.rangeOf("up == 1"));
    }

    @Test
    void theLongestScrapeIntervalOfTheConfigurationCounts() {
        String yaml = "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs:\n"
                + "- job_name: app\n  scrape_interval: 30s\n  metrics_path: /metrics\n- job_name: fast\n  scrape_interval: 500ms\n";
        assertEquals(Optional.of(Duration.ofSeconds(30)), ScrapeConfig.longestScrapeInterval(yaml));
        assertEquals(Optional.of(Duration.ofSeconds(90)), ScrapeConfig.longestScrapeInterval("global:\n  scrape_interval: 1m30s\n"));
        assertEquals(Optional.empty(), ScrapeConfig.longestScrapeInterval("global: {}\n"));
    }

    @Test
    void theServerReportsItsScrapeInterval() throws Exception {
        // the backfilled server is configured with a 1 s interval
        assertEquals(Optional.of(Duration.ofSeconds(1)), PROMETHEUS.client().scrapeInterval());
    }

    @Test
    void noDataWithinTheWarmUpIsWaitingThenThePolicyCountsAndItFails() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("ghost")), Map.of("ghost", Duration.ofSeconds(30)), 3);
        for (int t = 300; t < 330; t += 10) {
            GateEvaluation e = analysis.tick(PROMETHEUS.client(), at(t)).get(0);
            assertEquals(Verdict.INCONCLUSIVE, e.verdict());
            assertTrue(e.reason().startsWith("warming up: no data for the candidate yet, waiting up to 30 s"), e.reason());
            assertEquals(0, analysis.consecutiveInconclusive("ghost"), "waiting is not counted");
        }
        analysis.tick(PROMETHEUS.client(), at(330));
        analysis.tick(PROMETHEUS.client(), at(340));
        assertEquals(2, analysis.consecutiveInconclusive("ghost"));
        GateEvaluation third = analysis.tick(PROMETHEUS.client(), at(350)).get(0);
        assertEquals(Verdict.FAIL, third.verdict());
        assertTrue(third.reason().contains("inconclusive 3 times in a row (limit 3); last: no data"), third.reason());
    }

    @Test
    void noDataEverNeverPassesEvenWhenThePolicySaysPass() throws Exception {
        Gate lenient = errorRate("ghost").withOnNoData(GatePolicy.PASS);
        GateAnalysis analysis = new GateAnalysis(List.of(lenient), Map.of("ghost", Duration.ofSeconds(20)), 3);
        for (int t = 300; t <= 600; t += 10) {
            analysis.tick(PROMETHEUS.client(), at(t));
            assertNotEquals(Verdict.PASS, analysis.verdict(), "at " + t);
        }
        assertEquals(Verdict.PASS, analysis.latest().get(0).verdict(), "the gate's own policy");
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict());
        assertEquals("ghost: 0 evaluations with data, 3 needed", analysis.inconclusiveSummary());
    }

    @Test
    void aWindowPassesOnlyAfterTheMinimumOfEvaluationsWithData() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout")), Map.of("checkout", Duration.ofSeconds(90)), 3);
        analysis.tick(PROMETHEUS.client(), at(100));
        analysis.tick(PROMETHEUS.client(), at(110));
        assertEquals(Verdict.PASS, analysis.latest().get(0).verdict());
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict());
        assertEquals("checkout: 2 evaluations with data, 3 needed", analysis.inconclusiveSummary());
        analysis.tick(PROMETHEUS.client(), at(120));
        assertEquals(Verdict.PASS, analysis.verdict());
        assertEquals("", analysis.inconclusiveSummary());
    }

    @Test
    void trafficShareWaitsThreeScrapesForItCountsFromTheWindowsStart() {
        Gate share = GateTemplate.TRAFFIC_SHARE.gate("shop", "a", "green");
        assertEquals(Duration.ofSeconds(45), WarmUp.of(share, Duration.ofSeconds(15)));
    }

    @Test
    void everyGateGetsItsDefaultWarmUpOrTheOverride() {
        List<Gate> gates = List.of(errorRate("a"), GateTemplate.DB_CONNECTION_RATIO.gate("shop", "a", "green"));
        assertEquals(Duration.ofSeconds(120), GateAnalysis.forWindow(gates, Duration.ofSeconds(30), null, 3).longestWarmUp());
        assertEquals(Duration.ofSeconds(45),
                GateAnalysis.forWindow(gates, Duration.ofSeconds(30), Duration.ofSeconds(45), 3).longestWarmUp());
    }
}
