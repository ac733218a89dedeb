package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A metric gate: the gate fails when {@code query <comparison> threshold} holds for the whole {@code sustain}
 * window ("error rate > 0.01 for 60 s"). {@code query} is final PromQL (a {@link GateTemplate} already rendered,
 * or the user's own); it may return several series, in which case the worst one counts.
 *
 * @param warningThreshold optional level (same comparison, less severe than {@code threshold}) at which a
 *     passing evaluation is recorded as {@link Verdict#WARNING}; null for none
 * @param sustain how long the breach must hold; zero means the current value decides
 * @param interval how often the analysis evaluates the gate
 * @param onNoData the verdict when the query returns nothing (or only NaN)
 * @param onError the verdict when Prometheus cannot answer or rejects the query
 * @param inconclusiveLimit after this many consecutive inconclusive evaluations the gate fails; 0 for never
 */
public record Gate(String name, String query, Comparison comparison, double threshold, Double warningThreshold,
                   Duration sustain, Duration interval, GatePolicy onNoData, GatePolicy onError, int inconclusiveLimit)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_INCONCLUSIVE_LIMIT = 3;

    public Gate {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a gate needs a name");
        }
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("gate '" + name + "' has no PromQL query");
        }
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("gate '" + name + "' needs a finite threshold");
        }
        if (warningThreshold != null && (!Double.isFinite(warningThreshold)
                || (comparison.upward() ? warningThreshold >= threshold : warningThreshold <= threshold))) {
            throw new IllegalArgumentException("gate '" + name + "': the warning level " + warningThreshold
                    + " must be less severe than the threshold " + threshold);
        }
        sustain = sustain == null ? Duration.ZERO : sustain;
        if (sustain.isNegative() || sustain.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("gate '" + name + "': the sustain window must be whole seconds, 0 or more");
        }
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (interval.toMillis() < 1000 || interval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("gate '" + name + "': the evaluation interval must be whole seconds, at least 1 s");
        }
        onNoData = onNoData == null ? GatePolicy.INCONCLUSIVE : onNoData;
        onError = onError == null ? GatePolicy.INCONCLUSIVE : onError;
        if (inconclusiveLimit < 0) {
            throw new IllegalArgumentException("gate '" + name + "': the inconclusive limit cannot be negative");
        }
    }

    /** A gate on the user's own PromQL with the default interval, policies and inconclusive limit. */
    public static Gate custom(String name, String promql, Comparison comparison, double threshold, Duration sustain) {
        return new Gate(name, promql, comparison, threshold, null, sustain, null, null, null, DEFAULT_INCONCLUSIVE_LIMIT);
    }

    /**
     * The resolution at which the sustain window is sampled: the evaluation interval, but at least six samples per
     * window so that a short dip is seen, and never below 1 s.
     */
    public Duration step() {
        long seconds = Math.min(interval.toSeconds(), sustain.toSeconds() / 6);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    public Gate withName(String value) {
        return new Gate(value, query, comparison, threshold, warningThreshold, sustain, interval, onNoData, onError, inconclusiveLimit);
    }

    public Gate withThreshold(double value) {
        return new Gate(name, query, comparison, value, warningThreshold, sustain, interval, onNoData, onError, inconclusiveLimit);
    }

    public Gate withWarningThreshold(Double value) {
        return new Gate(name, query, comparison, threshold, value, sustain, interval, onNoData, onError, inconclusiveLimit);
    }

    public Gate withSustain(Duration value) {
        return new Gate(name, query, comparison, threshold, warningThreshold, value, interval, onNoData, onError, inconclusiveLimit);
    }

    public Gate withInterval(Duration value) {
        return new Gate(name, query, comparison, threshold, warningThreshold, sustain, value, onNoData, onError, inconclusiveLimit);
    }

    public Gate withOnNoData(GatePolicy value) {
        return new Gate(name, query, comparison, threshold, warningThreshold, sustain, interval, value, onError, inconclusiveLimit);
    }

    public Gate withOnError(GatePolicy value) {
        return new Gate(name, query, comparison, threshold, warningThreshold, sustain, interval, onNoData, value, inconclusiveLimit);
    }

    public Gate withInconclusiveLimit(int value) {
        return new Gate(name, query, comparison, threshold, warningThreshold, sustain, interval, onNoData, onError, value);
    }

    /** E.g. {@code errorRate > 0.01 for 60 s}. */
    public String describe() {
        return name + " " + comparison.symbol() + " " + GateEvaluation.number(threshold)
                + (sustain.isZero() ? "" : " for " + sustain.toSeconds() + " s");
    }
}
