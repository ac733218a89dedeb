package io.jenkins.plugins.bluegreen.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * One value of a query result: the series' labels (empty for a scalar or an aggregate without {@code by}), its
 * time and its value. Prometheus' {@code NaN}, {@code +Inf} and {@code -Inf} arrive as the matching doubles.
 */
public record Sample(Map<String, String> labels, Instant at, double value) {

    public Sample {
        labels = Map.copyOf(labels);
    }
}
