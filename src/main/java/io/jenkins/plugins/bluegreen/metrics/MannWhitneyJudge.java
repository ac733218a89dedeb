package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The statistical judge, in the way Kayenta judges canaries: the candidate's and the stable colour's values at every
 * interval of the window so far (two range queries), compared with a one-sided Mann-Whitney U test from Apache Commons
 * Statistics. The candidate is worse when its values are higher than the stable colour's raised by the tolerance
 * ({@code tolerance × median(stable)}, the test's location shift), with the chosen confidence ({@code 1 − p}). A rank
 * test needs no threshold in the metric's unit and no normal distribution; it needs samples, so a colour with fewer than
 * {@link #MIN_SAMPLES} gives no data (which the warm-up waits for).
 *
 * <p>Looking again every interval at a growing window would find a difference by chance now and then; so a finding
 * must hold on every evaluation for the gate's sustain window before the gate fails, as a threshold breach must.
 * Values taken every interval over a rate window overlap, which makes neighbouring samples alike and the test
 * more confident than it should be: the sustain rule and a high default confidence are the guard against that too.
 *
 * <p>The evaluation's value is the confidence and its threshold the confidence asked for. Holds where the current
 * finding began, so one judge belongs to one analysis. A plain class: River saves it with the step.
 */
public final class MannWhitneyJudge implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The value of a gate's {@code judge} argument that asks for this judge. */
    public static final String ID = "mannWhitney";
    public static final double DEFAULT_CONFIDENCE = 0.98;
    public static final double DEFAULT_TOLERANCE = 0.1;
    /** Per colour: with six each, the smallest one-sided p-value is 1/924, so 0.98 and 0.99 can be reached. */
    public static final int MIN_SAMPLES = 6;
    /** The newest samples a window compares: a one-hour window at 10 s; longer windows slide. */
    static final int MAX_SAMPLES = 360;

    private final String stableQuery;
    private final double tolerance;
    /** Where the current run of "worse" findings began, in epoch millis; -1 while there is none. */
    private long worseSinceMillis = -1;

    /**
     * @param stableQuery the stable colour's value query (the gate's, with the other colour)
     * @param tolerance how much above the stable colour's median the candidate may be, as a share of it (0.1: 10 %)
     */
    public MannWhitneyJudge(String stableQuery, double tolerance) {
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("the tolerance must be 0 or more");
        }
        this.stableQuery = stableQuery;
        this.tolerance = tolerance;
    }

    /** The gate's name for "no worse than stable, judged statistically", e.g. {@code p95Latency vs stable}. */
    public static String name(String gate) {
        return gate + " vs stable";
    }

    /**
     * The judge's gate: the candidate's value query, failing when the confidence that the candidate is worse exceeds
     * {@code confidence}, with the candidate gate's sustain, interval and policies.
     */
    public static Gate gate(Gate candidate, double confidence) {
        if (!candidate.comparison().upward()) {
            throw new IllegalArgumentException("gate '" + candidate.name() + "' fails downwards (" + candidate.comparison().symbol()
                    + "): comparing it with the stable colour is only for gates that fail upwards");
        }
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("gate '" + candidate.name() + "': the confidence must be at least 0.5 and below 1");
        }
        return new Gate(name(candidate.name()), GateEvaluator.valueQuery(candidate), Comparison.GT, confidence, null,
                candidate.sustain(), candidate.interval(), candidate.onNoData(), candidate.onError(), candidate.inconclusiveLimit());
    }

    /** How long after the first sample the judge can first decide: {@link #MIN_SAMPLES} intervals. */
    public static Duration samplingTime(Gate gate) {
        return gate.interval().multipliedBy(MIN_SAMPLES - 1);
    }

    GateEvaluation evaluate(PrometheusClient client, Gate gate, Instant windowStart, Instant at) throws InterruptedException {
        Duration step = gate.interval();
        Instant oldest = at.minus(step.multipliedBy(MAX_SAMPLES - 1));
        Instant start = windowStart.isAfter(oldest) ? windowStart : oldest;
        double[] candidate;
        double[] stable;
        try {
            candidate = values(client.rangeQuery(gate.query(), start, at, step));
            stable = values(client.rangeQuery(stableQuery, start, at, step));
        } catch (PrometheusException e) {
            worseSinceMillis = -1;
            return GateEvaluation.providerError(gate, e, at);
        }
        if (candidate.length < MIN_SAMPLES || stable.length < MIN_SAMPLES) {
            worseSinceMillis = -1;
            return GateEvaluation.noData(gate, String.format(Locale.ROOT, "%d candidate and %d stable samples, %d of each needed",
                    candidate.length, stable.length, MIN_SAMPLES), at);
        }
        double stableMedian = median(stable);
        double shift = tolerance * Math.max(0, stableMedian);
        double p = MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).withMu(shift)
                .test(candidate, stable).getPValue();
        double confidence = 1 - p;
        String numbers = String.format(Locale.ROOT, "one-sided Mann-Whitney U, p = %s; median %s vs stable %s (+%s %%"
                + " tolerance), %d and %d samples every %d s", GateEvaluation.number(p), GateEvaluation.number(median(candidate)),
                GateEvaluation.number(stableMedian), GateEvaluation.number(tolerance * 100), candidate.length, stable.length,
                step.toSeconds());
        if (!(confidence > gate.threshold())) {
            worseSinceMillis = -1;
            return GateEvaluation.of(gate, confidence, Verdict.PASS, "not worse than stable with the confidence asked: " + numbers, at, null);
        }
        if (worseSinceMillis < 0) {
            worseSinceMillis = at.toEpochMilli();
        }
        Instant since = Instant.ofEpochMilli(worseSinceMillis);
        Duration held = Duration.between(since, at);
        if (held.compareTo(gate.sustain()) >= 0) {
            return GateEvaluation.of(gate, confidence, Verdict.FAIL, "worse than stable" + (gate.sustain().isZero() ? ""
                    : " at every evaluation for " + gate.sustain().toSeconds() + " s") + ": " + numbers, at, since);
        }
        return GateEvaluation.of(gate, confidence, Verdict.PASS, "worse than stable for " + held.toSeconds() + " s, not yet for the whole "
                + gate.sustain().toSeconds() + " s window: " + numbers, at, null);
    }

    /** The finite values of the one series a value query returns (several would be one per series, all compared). */
    private static double[] values(List<Series> series) {
        return series.stream().flatMap(s -> s.samples().stream()).mapToDouble(Sample::value).filter(Double::isFinite).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

}
