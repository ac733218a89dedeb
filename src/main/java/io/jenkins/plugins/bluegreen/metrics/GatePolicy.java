package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;

/**
 * What a gate concludes when it cannot measure: when the query returns no data, or when Prometheus fails.
 * The default is {@link #INCONCLUSIVE}: missing data never promotes.
 */
public enum GatePolicy {
    PASS,
    FAIL,
    INCONCLUSIVE;

    public Verdict verdict() {
        return Verdict.valueOf(name());
    }
}
