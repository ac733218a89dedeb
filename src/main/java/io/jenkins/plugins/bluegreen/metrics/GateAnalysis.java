package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a set of gates during a verification window, one tick at a time: the caller decides when to call
 * {@link #tick} (a Jenkins step must not block a thread waiting), and the analysis evaluates whichever gates
 * are due. Its state is small and {@link Serializable} so that it survives a Jenkins restart with the step.
 *
 * <p>Overall verdict: FAIL if any gate failed (final: a failed gate is not evaluated again), INCONCLUSIVE if any
 * gate is inconclusive or not yet evaluated, else PASS (a WARNING passes). A gate that is inconclusive
 * {@link Gate#inconclusiveLimit()} times in a row fails. Not thread-safe.
 *
 * <p>Warm-up: right after a shift the candidate has no samples yet, which is waiting, not a finding. Until a gate has
 * had data once, "no data" within its warm-up (counted from the first tick) is recorded as INCONCLUSIVE without
 * counting towards the inconclusive limit and without applying {@link Gate#onNoData()}; after the warm-up the policy
 * applies. And a window never passes on too little: a gate with fewer than {@code minEvaluations} evaluations with data
 * keeps the analysis INCONCLUSIVE.
 */
public final class GateAnalysis implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<Gate> gates;
    private final Map<String, GateState> states = new LinkedHashMap<>();
    private Instant firstFailureAt;
    /** The first tick: where every gate's warm-up starts. */
    private Instant startedAt;
    private final int minEvaluations;

    private static final class GateState implements Serializable {
        private static final long serialVersionUID = 1L;
        int consecutiveInconclusive;
        GateEvaluation last;
        /** How long to wait for the first sample; in millis, a plain number whatever saves it. */
        long warmUpMillis;
        /** Evaluations that found a value (NaN is none). */
        int withData;
        /** For the trafficShare gate: the weight it checks against; null for the others. */
        TrafficShare share;
        /** For a comparison with the stable colour: the stable colour's value query, shown with each evaluation. */
        String stableQuery;
        /** For the statistical comparison with the stable colour; null for the others. */
        MannWhitneyJudge judge;
        /** For an alert gate; null for the others. */
        AlertCheck alerts;
    }

    public static final int DEFAULT_MIN_EVALUATIONS = 3;

    /** An analysis without warm-up that passes on a single evaluation: for callers that wait for data themselves. */
    public GateAnalysis(List<Gate> gates) {
        this(gates, Map.of(), 0);
    }

    /**
     * @param warmUps each gate's warm-up by name; a gate not named has none
     * @param minEvaluations how many evaluations with data each gate needs before the analysis can pass
     */
    public GateAnalysis(List<Gate> gates, Map<String, Duration> warmUps, int minEvaluations) {
        if (gates == null || gates.isEmpty()) {
            throw new IllegalArgumentException("an analysis needs at least one gate");
        }
        Set<String> names = new HashSet<>();
        for (Gate g : gates) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("two gates are named '" + g.name() + "'");
            }
            GateState state = new GateState();
            Duration warmUp = warmUps.get(g.name());
            state.warmUpMillis = warmUp == null ? 0 : warmUp.toMillis();
            states.put(g.name(), state);
        }
        if (minEvaluations < 0) {
            throw new IllegalArgumentException("the minimum number of evaluations cannot be negative");
        }
        this.minEvaluations = minEvaluations;
        this.gates = List.copyOf(gates);
    }

    /** Every gate with its default warm-up on a Prometheus scraping every {@code scrapeInterval}, or all with {@code warmUp}. */
    public static GateAnalysis forWindow(List<Gate> gates, Duration scrapeInterval, Duration warmUp, int minEvaluations) {
        Map<String, Duration> warmUps = new LinkedHashMap<>();
        for (Gate g : gates) {
            warmUps.put(g.name(), warmUp != null ? warmUp : WarmUp.of(g, scrapeInterval));
        }
        return new GateAnalysis(gates, warmUps, minEvaluations);
    }

    /** Makes the named gate compare the candidate's share of the requests with its configured weight. */
    public GateAnalysis withTrafficShare(String gateName, TrafficShare share) {
        state(gateName).share = share;
        return this;
    }

    /** Shows the stable colour's value ({@code stableValueQuery}) with each evaluation of the named gate. */
    public GateAnalysis withStableValue(String gateName, String stableValueQuery) {
        state(gateName).stableQuery = stableValueQuery;
        return this;
    }

    /**
     * Makes the named gate (see {@link MannWhitneyJudge#gate}) judge the candidate against the stable colour
     * statistically. Its warm-up grows by the time the judge needs to gather its samples.
     */
    public GateAnalysis withJudge(String gateName, MannWhitneyJudge judge) {
        GateState s = state(gateName);
        s.judge = judge;
        Gate gate = gates.stream().filter(g -> g.name().equals(gateName)).findFirst().orElseThrow();
        s.warmUpMillis += MannWhitneyJudge.samplingTime(gate).toMillis();
        return this;
    }

    /** Makes the named gate an alert gate (see {@link AlertCheck}): its reason names the firing alerts. */
    public GateAnalysis withAlerts(String gateName, AlertCheck alerts) {
        state(gateName).alerts = alerts;
        return this;
    }

    private GateState state(String gateName) {
        GateState s = states.get(gateName);
        if (s == null) {
            throw new IllegalArgumentException("no gate named '" + gateName + "'");
        }
        return s;
    }

    /** The longest warm-up of any gate. */
    public Duration longestWarmUp() {
        return Duration.ofMillis(states.values().stream().mapToLong(s -> s.warmUpMillis).max().orElse(0));
    }

    public int minEvaluations() {
        return minEvaluations;
    }

    public List<Gate> gates() {
        return gates;
    }

    /**
     * Evaluates every gate that is due at {@code now} (never evaluated, or its interval has passed since the last
     * evaluation) and has not failed.
     *
     * @return this tick's evaluations, in gate order; empty when no gate was due
     */
    public List<GateEvaluation> tick(PrometheusClient client, Instant now) throws InterruptedException {
        if (startedAt == null) {
            startedAt = now;
        }
        List<GateEvaluation> found = new ArrayList<>();
        for (Gate gate : gates) {
            GateState state = states.get(gate.name());
            if (!isDue(gate, state, now)) {
                continue;
            }
            GateEvaluation e = state.share != null ? state.share.evaluate(client, gate, startedAt, now)
                    : state.judge != null ? state.judge.evaluate(client, gate, startedAt, now)
                    : state.alerts != null ? state.alerts.evaluate(client, gate, now)
                    : GateEvaluator.evaluate(client, gate, now);
            if (state.stableQuery != null) {
                e = e.withVerdict(e.verdict(), e.reason() + "; stable " + stableValue(client, state.stableQuery, now),
                        e.failingSince());
            }
            Instant warmUpEnd = startedAt.plusMillis(state.warmUpMillis);
            if (state.share != null && e.verdict() == Verdict.FAIL && now.isBefore(warmUpEnd)) {
                // too early to judge a share: the requests since the shift are still few, and the router still settling
                e = e.withVerdict(Verdict.INCONCLUSIVE, "warming up: " + e.reason(), null);
            } else if (GateEvaluator.isNoData(e) && state.withData == 0 && now.isBefore(warmUpEnd)) {
                e = e.withVerdict(Verdict.INCONCLUSIVE, "warming up: no data for the candidate yet, waiting up to "
                        + Duration.between(startedAt, warmUpEnd).toSeconds() + " s for its first sample", null);
            } else if (e.verdict() == Verdict.INCONCLUSIVE) {
                state.consecutiveInconclusive++;
                int limit = gate.inconclusiveLimit();
                if (limit > 0 && state.consecutiveInconclusive >= limit) {
                    e = e.withVerdict(Verdict.FAIL, "inconclusive " + state.consecutiveInconclusive
                            + " times in a row (limit " + limit + "); last: " + e.reason(), now);
                }
            } else {
                state.consecutiveInconclusive = 0;
            }
            if (e.verdict() == Verdict.FAIL && (firstFailureAt == null || e.failingSince().isBefore(firstFailureAt))) {
                firstFailureAt = e.failingSince();
            }
            if (!Double.isNaN(e.value())) {
                state.withData++;
            }
            state.last = e;
            found.add(e);
        }
        return found;
    }

    private static String stableValue(PrometheusClient client, String query, Instant at) throws InterruptedException {
        try {
            List<Sample> found = client.instantQuery(query, at);
            return found.isEmpty() ? "no data" : GateEvaluation.number(found.get(0).value());
        } catch (PrometheusException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static boolean isDue(Gate gate, GateState state, Instant now) {
        if (state.last == null) {
            return true;
        }
        return state.last.verdict() != Verdict.FAIL && !now.isBefore(state.last.at().plus(gate.interval()));
    }

    /** FAIL if any gate failed, INCONCLUSIVE if any is inconclusive or not evaluated yet, else PASS. */
    public Verdict verdict() {
        boolean inconclusive = false;
        for (GateState s : states.values()) {
            if (s.last == null || s.last.verdict() == Verdict.INCONCLUSIVE) {
                inconclusive = true;
            } else if (s.last.verdict() == Verdict.FAIL) {
                return Verdict.FAIL;
            } else if (s.withData < minEvaluations) {
                inconclusive = true;
            }
        }
        return inconclusive ? Verdict.INCONCLUSIVE : Verdict.PASS;
    }

    /** Why the analysis is inconclusive, gate by gate (e.g. "errorRate: 1 evaluation with data, 3 needed"); empty if it is not. */
    public String inconclusiveSummary() {
        List<String> why = new ArrayList<>();
        for (Map.Entry<String, GateState> en : states.entrySet()) {
            GateState s = en.getValue();
            if (s.last == null) {
                why.add(en.getKey() + ": not evaluated");
            } else if (s.last.verdict() == Verdict.FAIL) {
                continue;
            } else if (s.last.verdict() == Verdict.INCONCLUSIVE) {
                why.add(en.getKey() + ": " + s.last.reason());
            } else if (s.withData < minEvaluations) {
                why.add(en.getKey() + ": " + s.withData + " evaluation" + (s.withData == 1 ? "" : "s") + " with data, "
                        + minEvaluations + " needed");
            }
        }
        return String.join("; ", why);
    }

    /** The first failing sample of any failed gate: where time-to-revert starts. */
    public Optional<Instant> firstFailureAt() {
        return Optional.ofNullable(firstFailureAt);
    }

    /**
     * When {@link #tick} next has work: the earliest time a gate is due, but not before {@code now}; empty when
     * every gate has failed.
     */
    public Optional<Instant> nextDueAt(Instant now) {
        Instant next = null;
        for (Gate gate : gates) {
            GateState s = states.get(gate.name());
            if (s.last != null && s.last.verdict() == Verdict.FAIL) {
                continue;
            }
            Instant due = s.last == null ? now : s.last.at().plus(gate.interval());
            if (due.isBefore(now)) {
                due = now;
            }
            if (next == null || due.isBefore(next)) {
                next = due;
            }
        }
        return Optional.ofNullable(next);
    }

    /** The latest evaluation of each gate evaluated so far, in gate order. */
    public List<GateEvaluation> latest() {
        List<GateEvaluation> out = new ArrayList<>();
        for (GateState s : states.values()) {
            if (s.last != null) {
                out.add(s.last);
            }
        }
        return out;
    }

    /** How many inconclusive evaluations in a row the gate has had. */
    public int consecutiveInconclusive(String gateName) {
        GateState s = states.get(gateName);
        if (s == null) {
            throw new IllegalArgumentException("no gate named '" + gateName + "'");
        }
        return s.consecutiveInconclusive;
    }
}
