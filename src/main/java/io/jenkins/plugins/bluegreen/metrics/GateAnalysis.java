package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
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
 */
public final class GateAnalysis implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<Gate> gates;
    private final Map<String, GateState> states = new LinkedHashMap<>();
    private Instant firstFailureAt;

    private static final class GateState implements Serializable {
        private static final long serialVersionUID = 1L;
        int consecutiveInconclusive;
        GateEvaluation last;
    }

    public GateAnalysis(List<Gate> gates) {
        if (gates == null || gates.isEmpty()) {
            throw new IllegalArgumentException("an analysis needs at least one gate");
        }
        Set<String> names = new HashSet<>();
        for (Gate g : gates) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("two gates are named '" + g.name() + "'");
            }
            states.put(g.name(), new GateState());
        }
        this.gates = List.copyOf(gates);
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
        List<GateEvaluation> found = new ArrayList<>();
        for (Gate gate : gates) {
            GateState state = states.get(gate.name());
            if (!isDue(gate, state, now)) {
                continue;
            }
            GateEvaluation e = GateEvaluator.evaluate(client, gate, now);
            if (e.verdict() == Verdict.INCONCLUSIVE) {
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
            state.last = e;
            found.add(e);
        }
        return found;
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
            }
        }
        return inconclusive ? Verdict.INCONCLUSIVE : Verdict.PASS;
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
