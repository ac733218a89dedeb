package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Evaluates one gate at one instant with two instant queries: the sustained check, which decides, and the
 * current value, which is recorded (and tells "no data" apart).
 *
 * <p>The sustained check is a single subquery, e.g. for {@code errorRate > 0.01 for 60 s} with a 10 s step:
 * <pre>min_over_time(((max(EXPR) &gt; bool 0.01) or vector(0))[60s:10s])</pre>
 * <ul>
 *   <li>Prometheus evaluates the breach at every step of the window (steps aligned to the epoch) and
 *       {@code min_over_time} is 1 only if every step breached: the sustained answer in one round trip, exact to
 *       the step, without shipping the window's samples (range query) or issuing one query per step;</li>
 *   <li>{@code max} (or {@code min} for LT/LE) reduces several series to the worst one, so the answer is one
 *       number and a gate over many pods fails when the worst pod breaches;</li>
 *   <li>{@code bool} keeps non-breaching steps as 0 instead of dropping them;</li>
 *   <li>{@code or vector(0)} makes a step without data count as "not breached", so a series that appeared 10 s
 *       ago cannot be "breached for 60 s". The check therefore never comes back empty, and "no data" is read from
 *       the current-value query ({@code max(EXPR)}) instead.</li>
 * </ul>
 * A NaN value (e.g. an error ratio with no requests at all) never breaches and counts as no data.
 */
public final class GateEvaluator {

    private GateEvaluator() {
    }

    /** The query that is 1 when the gate breached at every step of its sustain window, else 0. */
    public static String sustainedQuery(Gate gate) {
        String breach = "(" + valueQuery(gate) + " " + gate.comparison().symbol() + " bool "
                + BigDecimal.valueOf(gate.threshold()).stripTrailingZeros().toPlainString() + ") or vector(0)";
        if (gate.sustain().isZero()) {
            return breach;
        }
        return "min_over_time((" + breach + ")[" + gate.sustain().toSeconds() + "s:" + gate.step().toSeconds() + "s])";
    }

    /** The current value of the worst series. */
    public static String valueQuery(Gate gate) {
        return (gate.comparison().upward() ? "max(" : "min(") + gate.query() + ")";
    }

    /**
     * Evaluates the gate at {@code at}. Provider errors become the gate's {@link Gate#onError()} verdict with the
     * error text (which never holds credentials, see {@link PrometheusException}); the inconclusive limit is the
     * caller's business ({@link GateAnalysis}).
     */
    public static GateEvaluation evaluate(PrometheusClient client, Gate gate, Instant at) throws InterruptedException {
        List<Sample> sustained;
        List<Sample> current;
        try {
            sustained = client.instantQuery(sustainedQuery(gate), at);
            current = client.instantQuery(valueQuery(gate), at);
        } catch (PrometheusException e) {
            return GateEvaluation.providerError(gate, e, at);
        }
        double value = current.isEmpty() ? Double.NaN : current.get(0).value();
        boolean breachedThroughout = !sustained.isEmpty() && sustained.get(0).value() == 1.0;
        if (breachedThroughout) {
            Instant since = gate.sustain().isZero() ? at : firstStepOfWindow(gate, at);
            // Counted in samples, not from the first sample: off the step grid, a 3 s window holds samples 2 s apart.
            long samples = Duration.between(since, at).toMillis() / gate.step().toMillis() + 1;
            String how = gate.sustain().isZero() ? "breached"
                    : "breached for the whole " + gate.sustain().toSeconds() + " s window (" + samples + " samples, every "
                            + gate.step().toSeconds() + " s)";
            return GateEvaluation.of(gate, value, Verdict.FAIL, how, at, since);
        }
        if (Double.isNaN(value)) {
            return GateEvaluation.noData(gate, current.isEmpty() ? "the query returned no series" : "the value is NaN", at);
        }
        if (gate.comparison().breaches(value, gate.threshold())) {
            return GateEvaluation.of(gate, value, Verdict.PASS, "breached now, but not for the whole "
                    + gate.sustain().toSeconds() + " s window", at, null);
        }
        Double warning = gate.warningThreshold();
        if (warning != null && gate.comparison().breaches(value, warning)) {
            return GateEvaluation.of(gate, value, Verdict.WARNING, "past the warning level " + gate.comparison().symbol() + " "
                    + GateEvaluation.number(warning), at, null);
        }
        return GateEvaluation.of(gate, value, Verdict.PASS, "within the threshold", at, null);
    }

    /** Whether the evaluation found no data (the query returned nothing or NaN), whatever the gate's policy made of it. */
    public static boolean isNoData(GateEvaluation e) {
        return Double.isNaN(e.value()) && e.reason().startsWith(GateEvaluation.NO_DATA);
    }

    /** Prometheus samples a subquery at multiples of the step from the epoch: the first one in [at - sustain, at]. */
    static Instant firstStepOfWindow(Gate gate, Instant at) {
        long step = gate.step().toMillis();
        long start = at.toEpochMilli() - gate.sustain().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(start + step - 1, step) * step);
    }

}
