package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.net.HttpTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several gates ticked over time, against a real Prometheus on backfilled data ({@link GateTestData}). */
class GateAnalysisTest {

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    /** Named after the service so that one analysis can hold several. */
    private static Gate errorRate(String service) {
        return GateTemplate.ERROR_RATE.gate("shop", service, "green").withName(service);
    }

    @Test
    void failsAtTheFirstSustainedBreachAndRemembersWhereItStarted() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout"), errorRate("cart")));
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict(), "nothing measured yet");
        for (int t = 300; t <= 370; t += 10) {
            assertEquals(2, analysis.tick(PROMETHEUS.client(), at(t)).size());
            assertEquals(Verdict.PASS, analysis.verdict(), "at " + t);
        }
        assertEquals(Optional.empty(), analysis.firstFailureAt());

        List<GateEvaluation> found = analysis.tick(PROMETHEUS.client(), at(380));
        assertEquals(Verdict.FAIL, found.get(0).verdict());
        assertEquals(Verdict.PASS, found.get(1).verdict());
        assertEquals(Verdict.FAIL, analysis.verdict());
        assertEquals(Optional.of(at(320)), analysis.firstFailureAt());

        // a failed gate is final: only the other one is evaluated from now on
        List<GateEvaluation> next = analysis.tick(PROMETHEUS.client(), at(390));
        assertEquals(1, next.size());
        assertEquals("cart", next.get(0).gate());
        assertEquals(Verdict.FAIL, analysis.verdict());
        assertEquals(Optional.of(at(320)), analysis.firstFailureAt());
    }

    @Test
    void theEarliestFirstFailingSampleOfAllGatesCounts() throws Exception {
        Gate p95 = GateTemplate.P95_LATENCY.gate("shop", "search", "green");
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout"), p95));
        analysis.tick(PROMETHEUS.client(), at(400));
        assertEquals(Verdict.FAIL, analysis.verdict());
        // errorRate: breached since 340 (window 340..400); p95: since 280 (window 280..400)
        assertEquals(Optional.of(at(280)), analysis.firstFailureAt());
    }

    @Test
    void gatesAreEvaluatedOnlyWhenTheirIntervalHasPassed() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout")));
        assertEquals(Optional.of(at(300)), analysis.nextDueAt(at(300)));
        assertEquals(1, analysis.tick(PROMETHEUS.client(), at(300)).size());
        assertEquals(List.of(), analysis.tick(PROMETHEUS.client(), at(305)));
        assertEquals(Optional.of(at(310)), analysis.nextDueAt(at(305)));
        assertEquals(1, analysis.tick(PROMETHEUS.client(), at(310)).size());
        analysis.tick(PROMETHEUS.client(), at(380));
        assertEquals(Verdict.FAIL, analysis.verdict());
        assertEquals(Optional.empty(), analysis.nextDueAt(at(380)), "nothing left to evaluate");
    }

    @Test
    void oneInconclusiveGateMakesTheAnalysisInconclusiveUntilTheLimitFailsIt() throws Exception {
        // gappy has no samples in (200 s, 500 s): from 260 s on its rate window holds fewer than two samples
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout"), errorRate("gappy")));
        analysis.tick(PROMETHEUS.client(), at(250));
        assertEquals(Verdict.PASS, analysis.verdict());

        analysis.tick(PROMETHEUS.client(), at(260));
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict());
        assertEquals(1, analysis.consecutiveInconclusive("gappy"));
        analysis.tick(PROMETHEUS.client(), at(270));
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict(), "inconclusive never promotes");
        assertEquals(Optional.empty(), analysis.firstFailureAt());

        GateEvaluation third = analysis.tick(PROMETHEUS.client(), at(280)).get(1);
        assertEquals(Verdict.FAIL, third.verdict());
        assertEquals("inconclusive 3 times in a row (limit 3); last: no data: the query returned no series", third.reason());
        assertEquals(Verdict.FAIL, analysis.verdict());
        assertEquals(Optional.of(at(280)), analysis.firstFailureAt());
    }

    @Test
    void aPassResetsTheInconclusiveCount() throws Exception {
        // ghost: no data ever; with onNoData=PASS on the second gate nothing is inconclusive
        Gate ghost = errorRate("ghost").withInconclusiveLimit(2);
        GateAnalysis analysis = new GateAnalysis(List.of(ghost, errorRate("gappy").withInconclusiveLimit(0)));
        analysis.tick(PROMETHEUS.client(), at(300));
        assertEquals(1, analysis.consecutiveInconclusive("ghost"));
        assertEquals(1, analysis.consecutiveInconclusive("gappy"));
        analysis.tick(PROMETHEUS.client(), at(310));
        assertEquals(Verdict.FAIL, analysis.latest().get(0).verdict(), "limit 2 reached");
        for (int t = 320; t <= 560; t += 10) {
            analysis.tick(PROMETHEUS.client(), at(t));
        }
        // limit 0: never fails; the pass at 510 s (data again) reset its count
        assertEquals(Verdict.PASS, analysis.latest().get(1).verdict());
        assertEquals(0, analysis.consecutiveInconclusive("gappy"));
    }

    @Test
    void prometheusGoneMidAnalysisIsInconclusiveAndNeverPromotes() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        PrometheusClient gone = new PrometheusClient(PrometheusEndpoint.of("http://127.0.0.1:" + closedPort, null, null),
                HttpTransport.of(HttpClient.newBuilder()));
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout")));
        analysis.tick(PROMETHEUS.client(), at(300));
        assertEquals(Verdict.PASS, analysis.verdict());
        GateEvaluation e = analysis.tick(gone, at(310)).get(0);
        assertEquals(Verdict.INCONCLUSIVE, e.verdict());
        assertEquals("provider error: cannot connect to Prometheus at http://127.0.0.1:" + closedPort, e.reason());
        assertEquals(Verdict.INCONCLUSIVE, analysis.verdict());
    }

    @Test
    void theStateSurvivesSerialization() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(errorRate("checkout"), errorRate("gappy")));
        analysis.tick(PROMETHEUS.client(), at(260));
        analysis.tick(PROMETHEUS.client(), at(270));
        GateAnalysis restored = roundTrip(analysis);
        assertEquals(2, restored.consecutiveInconclusive("gappy"));
        restored.tick(PROMETHEUS.client(), at(280));
        assertEquals(Verdict.FAIL, restored.verdict());
        assertEquals(Optional.of(at(280)), restored.firstFailureAt());
    }

    @Test
    void gateNamesMustBeUnique() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GateAnalysis(List.of(GateTemplate.ERROR_RATE.gate("shop", "a", "green"),
                        GateTemplate.ERROR_RATE.gate("shop", "b", "green"))));
        assertEquals("two gates are named 'errorRate'", e.getMessage());
    }

    private static GateAnalysis roundTrip(GateAnalysis analysis) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(analysis);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            GateAnalysis restored = (GateAnalysis) in.readObject();
            assertTrue(restored != analysis);
            return restored;
        }
    }
}
