package io.jenkins.plugins.bluegreen.metrics;

import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The statistical judge on a real Prometheus with known per-colour values ({@link GateTestData}'s judge_latency_ms). */
class MannWhitneyJudgeTest {

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    private static final Duration SUSTAIN = Duration.ofSeconds(30);

    private static Gate latency(String color) {
        return Gate.custom("latency", "judge_latency_ms{color=\"" + color + "\"}", Comparison.GT, 1000, SUSTAIN);
    }

    private static Gate judged(double confidence) {
        return MannWhitneyJudge.gate(latency("green"), confidence);
    }

    private static MannWhitneyJudge judge(double tolerance) {
        return new MannWhitneyJudge(GateEvaluator.valueQuery(latency("blue")), tolerance);
    }

    @Test
    void equalColoursPass() throws Exception {
        GateEvaluation e = judge(0.1).evaluate(PROMETHEUS.client(), judged(0.98), at(100), at(290));
        assertEquals(Verdict.PASS, e.verdict(), e.toString());
        assertTrue(e.value() < 0.9, "no confidence that green is worse: " + e);
        assertTrue(e.reason().startsWith("not worse than stable with the confidence asked: one-sided Mann-Whitney U, p = "), e.reason());
        assertTrue(e.reason().contains("20 and 20 samples every 10 s"), e.reason());
        assertEquals("latency vs stable", e.gate());
        assertEquals("max(judge_latency_ms{color=\"green\"})", e.query());
    }

    @Test
    void fewerThanSixSamplesOfAColourIsNoData() throws Exception {
        GateEvaluation e = judge(0.1).evaluate(PROMETHEUS.client(), judged(0.98), at(100), at(140));
        assertEquals(Verdict.INCONCLUSIVE, e.verdict());
        assertEquals("no data: 5 candidate and 5 stable samples, 6 of each needed", e.reason());
        assertTrue(GateEvaluator.isNoData(e), "the warm-up waits for it like for a first sample");
    }

    /**
     * Green three times slower from 300 s: the judge waits for six samples (warm-up), finds it worse at once, and fails
     * once the finding held for the 30 s sustain window, from where it began; the state survives serialization.
     */
    @Test
    void aThreeTimesSlowerCandidateFailsOnceTheFindingHeldForTheSustainWindow() throws Exception {
        GateAnalysis analysis = new GateAnalysis(List.of(judged(0.98)), Map.of(), 3).withJudge("latency vs stable", judge(0.1));
        assertEquals(Duration.ofSeconds(50), analysis.longestWarmUp(), "five more intervals for six samples");
        for (int t = 300; t <= 340; t += 10) {
            GateEvaluation e = analysis.tick(PROMETHEUS.client(), at(t)).get(0);
            assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.toString());
            assertTrue(e.reason().startsWith("warming up"), e.reason());
        }
        assertEquals(0, analysis.consecutiveInconclusive("latency vs stable"), "waiting is not inconclusive");
        GateEvaluation first = analysis.tick(PROMETHEUS.client(), at(350)).get(0);
        assertEquals(Verdict.PASS, first.verdict(), first.toString());
        assertEquals(1 - 1.0 / 924, first.value(), 1e-9, "six against six, all higher: the exact p-value is 1/924");
        assertTrue(first.reason().startsWith("worse than stable for 0 s, not yet for the whole 30 s window"), first.reason());

        GateAnalysis restored = roundTrip(analysis);
        for (int t = 360; t <= 370; t += 10) {
            assertEquals(Verdict.PASS, restored.tick(PROMETHEUS.client(), at(t)).get(0).verdict());
        }
        GateEvaluation failed = restored.tick(PROMETHEUS.client(), at(380)).get(0);
        assertEquals(Verdict.FAIL, failed.verdict(), failed.toString());
        assertTrue(failed.toString().matches("latency vs stable FAIL at .*: value 0\\.99\\d* \\(fails when > 0\\.98\\), worse than"
                + " stable at every evaluation for 30 s: one-sided Mann-Whitney U, p = .*; median 3\\d\\d vs stable 1\\d\\d"
                + " \\(\\+10 % tolerance\\), 9 and 9 samples every 10 s"), failed.toString());
        assertEquals(Optional.of(at(350)), restored.firstFailureAt(), "from the first finding");
    }

    /** Green 10 ms above blue's ~111 ms median from 450 s: beyond a 0 tolerance, within a 10 % one. */
    @Test
    void theToleranceShiftsWhatCountsAsWorse() throws Exception {
        Gate immediate = judged(0.98).withSustain(Duration.ZERO);
        GateEvaluation strict = judge(0).evaluate(PROMETHEUS.client(), immediate, at(450), at(600));
        assertEquals(Verdict.FAIL, strict.verdict(), strict.toString());
        GateEvaluation tolerant = judge(0.1).evaluate(PROMETHEUS.client(), immediate, at(450), at(600));
        assertEquals(Verdict.PASS, tolerant.verdict(), tolerant.toString());
        assertTrue(tolerant.reason().contains("(+10 % tolerance), 16 and 16 samples"), tolerant.reason());
    }

    @Test
    void onlyGatesThatFailUpwardsAndSensibleConfidences() {
        Gate downwards = latency("green").withName("throughput");
        Gate lt = new Gate("throughput", downwards.query(), Comparison.LT, 5, null, null, null, null, null, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MannWhitneyJudge.gate(lt, 0.98)).getMessage()
                .contains("only for gates that fail upwards"));
        assertThrows(IllegalArgumentException.class, () -> MannWhitneyJudge.gate(latency("green"), 1.0));
        assertThrows(IllegalArgumentException.class, () -> MannWhitneyJudge.gate(latency("green"), 0.4));
        assertThrows(IllegalArgumentException.class, () -> new MannWhitneyJudge("max(x)", -0.1));
    }

    private static GateAnalysis roundTrip(GateAnalysis analysis) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(analysis);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (GateAnalysis) in.readObject();
        }
    }
}
