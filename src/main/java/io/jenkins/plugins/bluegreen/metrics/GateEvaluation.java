package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;

/**
 * What one evaluation of a gate found, for the rollout record.
 *
 * @param query the gate's PromQL (the value's query; the sustained check wraps it, see {@link GateEvaluator})
 * @param value the current value of the worst series; NaN when there was none
 * @param reason why this verdict, e.g. "breached for 60 s", "no data", or the provider's error text
 * @param at the instant evaluated
 * @param failingSince for FAIL: the first failing sample (start of the sustained breach, or {@code at} when a
 *     policy or the inconclusive limit failed the gate); null otherwise
 */
public record GateEvaluation(String gate, String query, double value, double threshold, Comparison comparison,
                             Verdict verdict, String reason, Instant at, Instant failingSince) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a reason begins when the evaluation found nothing to judge (see {@link GateEvaluator#isNoData}). */
    static final String NO_DATA = "no data: ";

    /** An evaluation of {@code gate}, with the gate's query, threshold and comparison. */
    static GateEvaluation of(Gate gate, double value, Verdict verdict, String reason, Instant at, Instant failingSince) {
        return new GateEvaluation(gate.name(), gate.query(), value, gate.threshold(), gate.comparison(), verdict, reason, at,
                failingSince);
    }

    /** Prometheus could not answer: the gate's {@code onError} verdict, with the error's text (never a credential). */
    static GateEvaluation providerError(Gate gate, PrometheusException e, Instant at) {
        Verdict v = gate.onError().verdict();
        return of(gate, Double.NaN, v, "provider error: " + e.getMessage(), at, v == Verdict.FAIL ? at : null);
    }

    /** Nothing to judge, for {@code why}: the gate's {@code onNoData} verdict, which the warm-up recognises. */
    static GateEvaluation noData(Gate gate, String why, Instant at) {
        Verdict v = gate.onNoData().verdict();
        return of(gate, Double.NaN, v, NO_DATA + why, at, v == Verdict.FAIL ? at : null);
    }

    /** The same evaluation with another verdict (used when a limit turns it into a failure). */
    public GateEvaluation withVerdict(Verdict newVerdict, String newReason, Instant newFailingSince) {
        return new GateEvaluation(gate, query, value, threshold, comparison, newVerdict, newReason, at, newFailingSince);
    }

    /**
     * E.g. {@code errorRate FAIL at 2024-01-01T00:06:20Z: value 0.06 (fails when > 0.01), breached for 60 s}: the
     * comparison is the failing condition, said as one, so that a passing line does not read as if it held.
     */
    @Override
    public String toString() {
        return gate + " " + verdict + " at " + at + ": value " + number(value) + " (fails when " + comparison.symbol() + " "
                + number(threshold) + "), " + reason;
    }

    /** Six significant digits, no exponent: readable in a build log. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
    }
}
