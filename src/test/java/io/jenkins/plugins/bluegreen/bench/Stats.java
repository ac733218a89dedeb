package io.jenkins.plugins.bluegreen.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** TEST CODE: order statistics of a sample (nearest rank, as latency reports usually mean them). */
final class Stats {

    private final double[] sorted;

    Stats(Collection<? extends Number> values) {
        sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    }

    int count() {
        return sorted.length;
    }

    /** The value at or below which {@code p} percent of the sample lies; NaN for an empty sample. */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    /** {@code p50 12 / p90 15 / p99 40 / max 41 ms}. */
    String summary(String unit) {
        return String.format(Locale.ROOT, "p50 %s / p90 %s / p99 %s / max %s %s", num(percentile(50)), num(percentile(90)),
                num(percentile(99)), num(max()), unit);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
