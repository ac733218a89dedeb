package io.jenkins.plugins.bluegreen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisLogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static GateEvaluation eval(String gate, double value, Verdict verdict, String reason, Instant at) {
        return new GateEvaluation(gate, "q", value, 0.01, Comparison.GT, verdict, reason, at, null);
    }

    private static List<GateEvaluation> healthy(Instant at) {
        return List.of(eval("errorRate", 0.002, Verdict.PASS, "within the threshold", at),
                eval("p95Latency", 0.2, Verdict.PASS, "within the threshold", at),
                eval("dbConnectionRatio", 0.4, Verdict.PASS, "within the threshold", at));
    }

    @Test
    void aHealthyOneHourBakeAtTenSecondsWritesADozenLinesNotAThousand() {
        AnalysisLog log = new AnalysisLog();
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < 3600; s += 10) {
            log.round(healthy(T0.plusSeconds(s)), T0.plusSeconds(s)).ifPresent(lines::add);
        }
        assertEquals(360, log.rounds());
        assertEquals(12, lines.size(), "the first round, then one every 5 minutes: " + lines);
        assertEquals("errorRate PASS 0.002 (fails when > 0.01); p95Latency PASS 0.2 (fails when > 0.01); "
                + "dbConnectionRatio PASS 0.4 (fails when > 0.01)", lines.get(0));
        assertEquals("360 rounds in 3590 s, 12 written; errorRate PASS \u00d7360 (0.002 to 0.002); p95Latency PASS \u00d7360 "
                + "(0.2 to 0.2); dbConnectionRatio PASS \u00d7360 (0.4 to 0.4)", log.summary(T0.plusSeconds(3590)));
    }

    @Test
    void aChangeAWarningOrAFailureIsWrittenInFullWithTheGatesValue() {
        AnalysisLog log = new AnalysisLog();
        log.round(healthy(T0), T0);
        assertEquals(Optional.empty(), log.round(healthy(T0.plusSeconds(10)), T0.plusSeconds(10)));
        Instant t = T0.plusSeconds(20);
        Optional<String> failing = log.round(List.of(eval("errorRate", 0.06, Verdict.FAIL,
                "breached for the whole 60 s window (7 samples, every 10 s)", t)), t);
        assertEquals(Optional.of("errorRate FAIL 0.06 (fails when > 0.01), breached for the whole 60 s window (7 samples, every 10 s)"),
                failing);
        Instant u = T0.plusSeconds(30);
        assertTrue(log.round(List.of(eval("p95Latency", Double.NaN, Verdict.INCONCLUSIVE, "no data: the query returned no series", u)),
                u).orElseThrow().startsWith("p95Latency INCONCLUSIVE NaN (fails when > 0.01), no data"));
        Instant w = T0.plusSeconds(40);
        assertEquals(Optional.empty(), log.round(List.of(eval("p95Latency", Double.NaN, Verdict.INCONCLUSIVE,
                "no data: the query returned no series", w)), w), "a steady inconclusive was said when it began");
    }
}
