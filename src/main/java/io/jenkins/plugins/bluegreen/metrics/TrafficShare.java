package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code trafficShare} check: during an analysis window the candidate's share of the service's requests (the
 * same {@code http_requests_total} the templates read) matches the weight the router was given, within the gate's
 * threshold in share points, and the candidate received at least {@code minRequests}. It catches a weight that was
 * written but does not take effect (a mesh without endpoints for the candidate, a client that bypasses the router),
 * where every other gate would pass on a handful of requests.
 *
 * <p>Requests are counted from the window's start ({@code increase(...[age of the window])}), not over a fixed rate
 * window that would still hold the time before the shift. A plain class: River saves it with the step.
 */
public final class TrafficShare implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "trafficShare";
    public static final long DEFAULT_MIN_REQUESTS = 20;

    private final String candidate;
    private final String all;
    private final int weightPercent;
    private final long minRequests;

    /**
     * @param weightPercent the candidate's configured weight
     * @throws IllegalArgumentException when a value is not {@code [a-z0-9-]+} (see {@link PromqlTemplate})
     */
    public TrafficShare(String namespace, String service, String color, int weightPercent, long minRequests) {
        Map<String, String> vars = Map.of("namespace", namespace, "service", service, "color", color);
        this.candidate = PromqlTemplate.render(
                "http_requests_total{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"}", vars);
        this.all = PromqlTemplate.render("http_requests_total{namespace=\"${namespace}\",service=\"${service}\"}", vars);
        this.weightPercent = weightPercent;
        this.minRequests = minRequests;
    }

    /**
     * Evaluates the share since {@code windowStart}. The gate's threshold is the tolerance in share points (0.02: ±2
     * points), widened to three standard deviations of a share counted on that many requests.
     */
    GateEvaluation evaluate(PrometheusClient client, Gate gate, Instant windowStart, Instant at) throws InterruptedException {
        long seconds = Math.max(1, Duration.between(windowStart, at).toSeconds());
        String range = "[" + seconds + "s]";
        String candidateQuery = "sum(increase(" + candidate + range + "))";
        String allQuery = "sum(increase(" + all + range + "))";
        List<Sample> c;
        List<Sample> t;
        try {
            c = client.instantQuery(candidateQuery, at);
            t = client.instantQuery(allQuery, at);
        } catch (PrometheusException e) {
            return GateEvaluation.providerError(gate, e, at);
        }
        double total = t.isEmpty() ? Double.NaN : t.get(0).value();
        if (!(total > 0)) {
            return GateEvaluation.noData(gate, "no requests to the service since the window began", at);
        }
        double received = c.isEmpty() || Double.isNaN(c.get(0).value()) ? 0 : c.get(0).value();
        double share = received / total;
        double deviation = Math.abs(share - weightPercent / 100.0);
        String observed = String.format(Locale.ROOT, "configured %d %%, observed %.1f %% of %,d requests", weightPercent,
                share * 100, Math.round(total));
        // A share measured on few requests wanders by chance: three standard deviations of it are tolerated too.
        double w = weightPercent / 100.0;
        double tolerance = Math.max(gate.threshold(), 3 * Math.sqrt(w * (1 - w) / total));
        if (deviation > tolerance) {
            return GateEvaluation.of(gate, deviation, Verdict.FAIL, observed + String.format(Locale.ROOT, ", off by more than %.1f points",
                    tolerance * 100), at, at);
        }
        if (weightPercent > 0 && Math.round(received) < minRequests) { // at 0 % none is the right amount
            return GateEvaluation.of(gate, deviation, Verdict.FAIL, observed + "; the candidate received " + Math.round(received)
                    + ", fewer than " + minRequests, at, at);
        }
        return GateEvaluation.of(gate, deviation, Verdict.PASS, observed, at, null);
    }

}
