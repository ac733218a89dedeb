package io.jenkins.plugins.bluegreen.metrics;

/**
 * A gate that compares the candidate with the stable colour over the same window instead of with a fixed number: the
 * candidate's value may be at most some amount above the stable one ({@code errorRate - stable > 0.005}: half a point
 * more errors) or at most some multiple of it ({@code p95Latency / stable > 1.2}). It is an ordinary {@link Gate} on
 * {@code max(candidate) - max(stable)} or {@code max(candidate) / max(stable)}, so sustain, interval, warm-up and no-data
 * rules apply as to any other gate; a colour without data gives no data. Only for gates that fail upwards
 * ({@code >}, {@code >=}): "worse than stable" means higher.
 */
public final class StableComparison {

    private StableComparison() {
    }

    /** The gate's name for "at most {@code max} above stable", e.g. {@code errorRate - stable}. */
    public static String differenceName(String gate) {
        return gate + " - stable";
    }

    /** The gate's name for "at most {@code max} times stable", e.g. {@code p95Latency / stable}. */
    public static String ratioName(String gate) {
        return gate + " / stable";
    }

    /** Fails when the candidate is more than {@code max} above the stable colour (in the gate's unit). */
    public static Gate difference(Gate candidate, Gate stable, double max) {
        return derived(candidate, differenceName(candidate.name()),
                GateEvaluator.valueQuery(candidate) + " - " + GateEvaluator.valueQuery(stable), max);
    }

    /** Fails when the candidate is more than {@code max} times the stable colour. */
    public static Gate ratio(Gate candidate, Gate stable, double max) {
        return derived(candidate, ratioName(candidate.name()),
                GateEvaluator.valueQuery(candidate) + " / " + GateEvaluator.valueQuery(stable), max);
    }

    private static Gate derived(Gate candidate, String name, String query, double max) {
        if (!candidate.comparison().upward()) {
            throw new IllegalArgumentException("gate '" + candidate.name() + "' fails downwards (" + candidate.comparison().symbol()
                    + "): comparing it with the stable colour is only for gates that fail upwards");
        }
        return new Gate(name, query, candidate.comparison(), max, null, candidate.sustain(), candidate.interval(),
                candidate.onNoData(), candidate.onError(), candidate.inconclusiveLimit());
    }
}
