package io.jenkins.plugins.bluegreen.engine;

import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.BackfilledPrometheus;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.GateTestData;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine watching gates on a real Prometheus (backfilled, so every verdict lands at a known instant) and
 * rolling back by itself. The engine's clock walks through the data's timeline.
 */
class AutomaticRollbackTest extends LabTest {

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    /** Blue live, green at 50 %, the engine's clock at the data's +300 s. */
    private EngineLab halfway() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        engine.deploy(lab.image("2.0.0"));
        engine.shift(lab.target, 50, EngineLab.OWNER);
        lab.clock.set(at(300));
        return lab;
    }

    private static Analysis errorRate(String service, PrometheusClient client) {
        return new PrometheusAnalysis(client, new GateAnalysis(List.of(GateTemplate.ERROR_RATE.gate("shop", service, "green"))));
    }

    @Test
    void aSustainedErrorRateRollsBackAndRecordsGateValuesAndTimeToRevert() throws Exception {
        EngineLab lab = halfway();
        Verification v = lab.engine().verify(lab.target, errorRate("checkout", PROMETHEUS.client()), Duration.ofMinutes(3),
                lab.clock::set, EngineLab.OWNER, true);

        assertEquals(Verdict.FAIL, v.verdict());
        assertEquals(at(380), lab.clock.instant(), "the window ends at the first sustained breach");
        RolloutRecord r = v.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertTrue(r.getRollback().reason().startsWith("gate failed: errorRate FAIL at " + at(380) + ": value 0.06 (fails when > 0.01)"),
                r.getRollback().reason());
        assertEquals(at(320).toString(), r.getRollback().detectedAt(), "the first failing sample");
        assertEquals(60_000L, r.getRollback().recoveryMillis(), "from the start of the breach to blue serving everything");
        assertTrue(r.getHistory().stream().anyMatch(e -> e.type().equals("gate") && e.message().contains("PASS")),
                "each evaluation is in the record");
    }

    @Test
    void aShortSpikePassesTheWindowAndChangesNoTraffic() throws Exception {
        EngineLab lab = halfway();
        Verification v = lab.engine().verify(lab.target, errorRate("cart", PROMETHEUS.client()), Duration.ofMinutes(2),
                lab.clock::set, EngineLab.OWNER, true);
        assertEquals(Verdict.PASS, v.verdict(), v.message());
        assertEquals("all gates passed over 2 min 0 s", v.message());
        assertEquals(13, v.evaluations().size(), "one evaluation every 10 s over 120 s, both ends included");
        assertEquals(Phase.SHIFTED, v.record().getPhase());
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());
    }

    @Test
    void prometheusUnreachableIsInconclusiveAndNeverPromotes() throws Exception {
        EngineLab lab = halfway();
        PrometheusClient down = new PrometheusClient(PrometheusEndpoint.of("http://127.0.0.1:1", null, Duration.ofSeconds(1)),
                HttpTransport.of(HttpClient.newBuilder()));
        Analysis patient = new PrometheusAnalysis(down, new GateAnalysis(List.of(
                GateTemplate.ERROR_RATE.gate("shop", "checkout", "green").withInconclusiveLimit(0))));
        Verification v = lab.engine().verify(lab.target, patient, Duration.ofSeconds(30), lab.clock::set, EngineLab.OWNER, true);
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertEquals("the analysis was inconclusive over 30 s (errorRate: provider error: cannot connect to Prometheus at "
                + "http://127.0.0.1:1); not promoting", v.message());
        assertEquals(Phase.SHIFTED, lab.record().getPhase());
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());

        // With the default limit, inconclusive evaluations in a row fail the gate, and the policy rolls back.
        Verification strict = lab.engine().verify(lab.target, errorRate("checkout", down), Duration.ofMinutes(2),
                lab.clock::set, EngineLab.OWNER, true);
        assertEquals(Verdict.FAIL, strict.verdict());
        assertEquals(Phase.ROLLED_BACK, strict.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }
}
