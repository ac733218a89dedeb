package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Revision;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.time.Instant;

/**
 * Rollout records as the engine writes them, built by hand: events with the live weights and, for gate evaluations,
 * their data. Times are seconds after {@link #T0}. Public for the build page's tests, which draw the same reports.
 */
public final class RolloutFixtures {

    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    public static final String OLD_IMAGE = "registry.example.com/shop/checkout:1.4.2";
    public static final String NEW_IMAGE = "registry.example.com/shop/checkout:1.5.0";

    private RolloutFixtures() {}

    public static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    /** A record of blue serving {@code checkout}, with one event of an earlier rollout, about to deploy green. */
    public static RolloutRecord started() {
        RolloutRecord r = new RolloutRecord();
        r.setNamespace("shop");
        r.setService("checkout");
        r.setWeights(Weights.all(Color.BLUE));
        r.addEvent(at(-3600), "phase", "green decommissioned after a bake time of 30 m; blue is stable");
        r.setStartedAt(T0.toString());
        r.setPhase(Phase.DEPLOYING);
        r.setStable(new Revision(Color.BLUE, "checkout-blue", OLD_IMAGE, "1a2b3c4d", 3));
        r.setCandidate(new Revision(Color.GREEN, "checkout-green", NEW_IMAGE, "7f3c2a1e", 3));
        r.addEvent(at(0), "phase", "deploying image " + NEW_IMAGE + " as green (revision 7f3c2a1), no traffic yet");
        r.addEvent(at(1), "preflight", "database connections fit: at peak blue 3 x 20 + green 3 x 20 = 120 of max_connections 200 "
                + "(20 % headroom kept)");
        r.addEvent(at(1.5), "preflight", "gates answer for blue: errorRate 0.0011, p95Latency 0.182");
        r.addEvent(at(2), "phase", "applied checkout-green (" + NEW_IMAGE + ", 3 replicas)");
        r.setPhase(Phase.READY);
        r.addEvent(at(14), "ready", "green is ready (3/3), no traffic yet");
        return r;
    }

    public static void shift(RolloutRecord r, double seconds, int greenPercent) {
        Weights w = Weights.of(Color.GREEN, greenPercent);
        r.setPhase(Phase.SHIFTING);
        r.addEvent(at(seconds), "traffic", "shifting traffic to " + w);
        r.setWeights(w);
        r.setPhase(Phase.SHIFTED);
        r.addEvent(at(seconds + 0.4), "traffic", "traffic now " + w);
    }

    /** One evaluation of a gate failing above its threshold; {@code value} null for no data. */
    public static void gate(RolloutRecord r, double seconds, String gate, Double value, double threshold, String verdict, String reason) {
        r.addEvent(at(seconds), "gate", gate + " " + verdict + " at " + at(seconds) + ": value " + (value == null ? "NaN" : value) + " (fails when > "
                + threshold + "), " + reason, new GatePoint(gate, value, threshold, ">", verdict));
    }

    /**
     * Green gets 5, 25 then 50 % of the traffic; at 50 % its error rate climbs past 1 %, is sustained for 10 s,
     * and the gate fails: traffic goes back to blue. One evaluation in between has no data.
     */
    public static RolloutRecord rolledBack() {
        RolloutRecord r = started();
        shift(r, 15, 5);
        double[] errorRates = {0.0012, 0.0015, 0.0011, 0.0018, 0.0021, 0.0016, 0.0019, 0.0024};
        double[] latencies = {0.191, 0.188, 0.203, 0.197, 0.214, 0.209, 0.221, 0.218};
        for (int i = 0; i < 4; i++) {
            gate(r, 25 + 10 * i, "errorRate", errorRates[i], 0.01, "PASS", "within the threshold");
            gate(r, 25.2 + 10 * i, "p95Latency", latencies[i], 0.5, "PASS", "within the threshold");
        }
        r.addEvent(at(60), "analysis", "all gates passed over 40 s");
        shift(r, 61, 25);
        for (int i = 4; i < 8; i++) {
            gate(r, 31 + 10 * i, "errorRate", errorRates[i], 0.01, "PASS", "within the threshold");
            gate(r, 31.2 + 10 * i, "p95Latency", latencies[i], 0.5, "PASS", "within the threshold");
        }
        r.addEvent(at(105), "analysis", "all gates passed over 40 s");
        shift(r, 106, 50);
        gate(r, 116, "errorRate", 0.0041, 0.01, "PASS", "within the threshold");
        gate(r, 116.2, "p95Latency", 0.236, 0.5, "PASS", "within the threshold");
        gate(r, 126, "errorRate", null, 0.01, "INCONCLUSIVE", "no data");
        gate(r, 126.2, "p95Latency", 0.251, 0.5, "PASS", "within the threshold");
        gate(r, 136, "errorRate", 0.034, 0.01, "PASS", "breached now, but not for the whole sustain window of 10 s");
        gate(r, 136.2, "p95Latency", 0.262, 0.5, "PASS", "within the threshold");
        gate(r, 146, "errorRate", 0.061, 0.01, "FAIL", "breached for 10 s (sampled every 5 s)");
        String reason = "gate failed: errorRate FAIL at " + at(146) + ": value 0.061 (fails when > 0.01), breached for 10 s (sampled every 5 s)";
        r.setPhase(Phase.ROLLING_BACK);
        r.setRollback(new Rollback(reason, at(136).toString(), at(147).toString(), null, null));
        r.addEvent(at(147), "rollback", "rolling back to blue: " + reason);
        r.setWeights(Weights.all(Color.BLUE));
        r.setPhase(Phase.ROLLED_BACK);
        r.setRollback(new Rollback(reason, at(136).toString(), at(147).toString(), at(148.84).toString(), 12840L));
        r.addEvent(at(149), "rollback", "rolled back: blue has all traffic again (12840 ms after detection); green scaled to zero");
        return r;
    }

    /** Green gets 10, 50 then 100 % with both gates passing, and is promoted. */
    public static RolloutRecord promoted() {
        RolloutRecord r = started();
        int[] steps = {10, 50, 100};
        for (int s = 0; s < steps.length; s++) {
            double from = 15 + 60 * s;
            shift(r, from, steps[s]);
            for (int i = 0; i < 4; i++) {
                double t = from + 10 + 10 * i;
                gate(r, t, "errorRate", 0.001 + 0.0004 * ((i + s) % 3), 0.01, "PASS", "within the threshold");
                gate(r, t + 0.2, "p95Latency", 0.18 + 0.01 * ((i * 7 + s) % 4), 0.5, "PASS", "within the threshold");
            }
            r.addEvent(at(from + 55), "analysis", "all gates passed over 40 s");
        }
        r.setPhase(Phase.PROMOTED);
        r.setPromotedAt(at(196).toString());
        r.addEvent(at(196), "phase", "green promoted: it serves all traffic; blue stays up until the bake time has passed");
        return r;
    }
}
