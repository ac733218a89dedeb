package io.jenkins.plugins.bluegreen.metrics;

/**
 * How a gate's value is compared with its threshold. The comparison describes the <em>breach</em>: a gate
 * {@code errorRate GT 0.01} fails when the error rate is above 1 %.
 */
public enum Comparison {
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The PromQL operator. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code value} breaches {@code threshold}; NaN never does (as in PromQL). */
    public boolean breaches(double value, double threshold) {
        switch (this) {
            case GT:
                return value > threshold;
            case GE:
                return value >= threshold;
            case LT:
                return value < threshold;
            default:
                return value <= threshold;
        }
    }

    /** True for GT/GE: larger values are worse, so the worst of several series is the largest. */
    public boolean upward() {
        return this == GT || this == GE;
    }
}
