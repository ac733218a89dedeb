package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import static io.jenkins.plugins.bluegreen.metrics.GateTestData.TOKEN;
import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One gate at a fixed instant, against a real Prometheus on backfilled data ({@link GateTestData}). */
class GateEvaluationTest {

    private static final double EPS = 1e-9;

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    private static Gate errorRate(String service) {
        return GateTemplate.ERROR_RATE.gate("shop", service, "green");
    }

    private static GateEvaluation eval(Gate gate, int secondsAfterT0) throws InterruptedException {
        return GateEvaluator.evaluate(PROMETHEUS.client(), gate, at(secondsAfterT0));
    }

    @Test
    void sustainedErrorRateFailsOnceTheWholeWindowBreached() throws Exception {
        GateEvaluation before = eval(errorRate("checkout"), 370);
        assertEquals(Verdict.PASS, before.verdict());
        assertEquals(0.06, before.value(), EPS);
        assertEquals("breached now, but not for the whole 60 s window", before.reason());
        assertNull(before.failingSince());

        GateEvaluation e = eval(errorRate("checkout"), 380);
        assertEquals(Verdict.FAIL, e.verdict());
        assertEquals("errorRate", e.gate());
        assertEquals(0.06, e.value(), EPS);
        assertEquals(0.01, e.threshold());
        assertEquals(Comparison.GT, e.comparison());
        assertEquals(at(380), e.at());
        assertEquals(at(320), e.failingSince());
        assertEquals("breached for the whole 60 s window (7 samples, every 10 s)", e.reason());
        assertTrue(e.query().contains("service=\"checkout\""), e.query());
        assertEquals("errorRate FAIL at 2024-01-01T00:06:20Z: value 0.06 (fails when > 0.01), breached for the whole 60 s window (7 samples, every 10 s)",
                e.toString());
    }

    @Test
    void aHealthyServicePasses() throws Exception {
        GateEvaluation e = eval(errorRate("checkout"), 200);
        assertEquals(Verdict.PASS, e.verdict());
        assertEquals(0.0, e.value(), EPS);
        assertEquals("within the threshold", e.reason());
    }

    @Test
    void aSpikeShorterThanTheSustainWindowPasses() throws Exception {
        for (int t = 320; t <= 400; t += 10) {
            assertEquals(Verdict.PASS, eval(errorRate("cart"), t).verdict(), "at " + t);
        }
        GateEvaluation peak = eval(errorRate("cart"), 360);
        assertEquals(0.0125, peak.value(), EPS);
        assertEquals("breached now, but not for the whole 60 s window", peak.reason());
    }

    @Test
    void aFlappingValueOnlyFailsWhenItStaysAbove() throws Exception {
        Gate flap = Gate.custom("queue", "flap_gauge{service=\"flappy\"}", Comparison.GT, 100, Duration.ofSeconds(60));
        for (int t = 60; t <= 350; t += 10) {
            assertEquals(Verdict.PASS, eval(flap, t).verdict(), "at " + t);
        }
        assertEquals(150.0, eval(flap, 260).value());
        assertEquals(50.0, eval(flap, 280).value());
        GateEvaluation e = eval(flap, 360);
        assertEquals(Verdict.FAIL, e.verdict());
        assertEquals(at(300), e.failingSince());
    }

    @Test
    void p95LatencyFailsAfterTwoMinutes() throws Exception {
        Gate p95 = GateTemplate.P95_LATENCY.gate("shop", "search", "green");
        GateEvaluation healthy = eval(p95, 150);
        assertEquals(Verdict.PASS, healthy.verdict());
        assertEquals(0.095, healthy.value(), EPS);

        GateEvaluation early = eval(p95, 340);
        assertEquals(Verdict.PASS, early.verdict());
        assertEquals(1.6, early.value(), EPS);

        GateEvaluation e = eval(p95, 350);
        assertEquals(Verdict.FAIL, e.verdict());
        assertEquals(1.6, e.value(), EPS);
        assertEquals(at(230), e.failingSince());
        assertEquals("breached for the whole 120 s window (13 samples, every 10 s)", e.reason());
    }

    @Test
    void noSeriesIsInconclusiveByDefaultAndWhatThePolicySays() throws Exception {
        Gate ghost = errorRate("ghost");
        GateEvaluation e = eval(ghost, 300);
        assertEquals(Verdict.INCONCLUSIVE, e.verdict());
        assertTrue(Double.isNaN(e.value()));
        assertEquals("no data: the query returned no series", e.reason());
        assertNull(e.failingSince());

        assertEquals(Verdict.PASS, eval(ghost.withOnNoData(GatePolicy.PASS), 300).verdict());
        GateEvaluation failed = eval(ghost.withOnNoData(GatePolicy.FAIL), 300);
        assertEquals(Verdict.FAIL, failed.verdict());
        assertEquals(at(300), failed.failingSince());
    }

    @Test
    void aGapInTheDataIsNoData() throws Exception {
        assertEquals(Verdict.PASS, eval(errorRate("gappy"), 150).verdict());
        GateEvaluation e = eval(errorRate("gappy"), 450);
        assertEquals(Verdict.INCONCLUSIVE, e.verdict());
        assertEquals("no data: the query returned no series", e.reason());
        assertEquals(Verdict.PASS, eval(errorRate("gappy"), 560).verdict());
    }

    @Test
    void databaseConnectionsWarnAt80AndFailAt90Percent() throws Exception {
        Gate db = GateTemplate.DB_CONNECTION_RATIO.gate("shop", "checkout", "green");
        GateEvaluation ok = eval(db, 100);
        assertEquals(Verdict.PASS, ok.verdict());
        assertEquals(0.5, ok.value(), EPS);

        GateEvaluation warning = eval(db, 300);
        assertEquals(Verdict.WARNING, warning.verdict());
        assertEquals(0.85, warning.value(), EPS);
        assertEquals("past the warning level >= 0.8", warning.reason());

        GateEvaluation full = eval(db, 450);
        assertEquals(Verdict.FAIL, full.verdict());
        assertEquals(0.95, full.value(), EPS);
        assertEquals("breached", full.reason());
        assertEquals(at(450), full.failingSince());
    }

    @Test
    void malformedPromqlIsAProviderErrorHandledByPolicy() throws Exception {
        Gate bad = Gate.custom("broken", "sum(rate(http_requests_total[1m]", Comparison.GT, 1, Duration.ofSeconds(60));
        GateEvaluation e = eval(bad, 300);
        assertEquals(Verdict.INCONCLUSIVE, e.verdict());
        assertTrue(e.reason().startsWith("provider error: Prometheus answered HTTP 400, bad_data: "), e.reason());
        assertTrue(e.reason().contains("parse error"), e.reason());

        assertEquals(Verdict.FAIL, eval(bad.withOnError(GatePolicy.FAIL), 300).verdict());
        assertEquals(Verdict.PASS, eval(bad.withOnError(GatePolicy.PASS), 300).verdict());
    }

    @Test
    void aWrongTokenIsAProviderErrorThatNeverShowsTheToken() throws Exception {
        try (TokenProxy proxy = new TokenProxy(PROMETHEUS.url(), TOKEN)) {
            String wrong = "wr0ng-" + TOKEN;
            PrometheusClient withWrongToken = new PrometheusClient(
                    new PrometheusEndpoint(proxy.url(), new HttpAuth.Bearer(wrong), null), HttpTransport.of(HttpClient.newBuilder()));
            GateEvaluation e = GateEvaluator.evaluate(withWrongToken, errorRate("checkout"), at(380));
            assertEquals(Verdict.INCONCLUSIVE, e.verdict());
            assertEquals("provider error: Prometheus refused the credentials (HTTP 401)", e.reason());
            assertFalse(e.toString().contains(TOKEN), e.toString());

            PrometheusClient withToken = new PrometheusClient(
                    new PrometheusEndpoint(proxy.url(), new HttpAuth.Bearer(TOKEN), null), HttpTransport.of(HttpClient.newBuilder()));
            assertEquals(Verdict.FAIL, GateEvaluator.evaluate(withToken, errorRate("checkout"), at(380)).verdict());
        }
    }

    @Test
    void theSustainedCheckIsOneSubquery() {
        assertEquals("min_over_time(((max(" + errorRate("checkout").query() + ") > bool 0.01) or vector(0))[60s:10s])",
                GateEvaluator.sustainedQuery(errorRate("checkout")));
        Gate db = GateTemplate.DB_CONNECTION_RATIO.gate("shop", "checkout", "green");
        assertEquals("(max(" + db.query() + ") >= bool 0.9) or vector(0)", GateEvaluator.sustainedQuery(db));
        Gate low = Gate.custom("availability", "up", Comparison.LT, 1, Duration.ofSeconds(30));
        assertEquals("min_over_time(((min(up) < bool 1) or vector(0))[30s:5s])", GateEvaluator.sustainedQuery(low));
    }
}
