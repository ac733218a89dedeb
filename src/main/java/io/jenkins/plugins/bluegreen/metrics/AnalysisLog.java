package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build log shows of an analysis window: one line per evaluation round with every gate's value, threshold and
 * verdict, written only when a gate's verdict changed (to a warning, to inconclusive, back to pass) or a gate failed
 * (and at most every {@link #QUIET_LINE_EVERY} otherwise, so a long bake shows it is alive), and a summary per window. A one-hour bake
 * of three healthy gates every 10 s then writes about a dozen lines instead of a thousand. Serializable with the
 * step: the verdicts it compares against survive a restart.
 */
public final class AnalysisLog implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How often an unchanged, passing round is still written. */
    public static final Duration QUIET_LINE_EVERY = Duration.ofMinutes(5);

    private final LinkedHashMap<String, Tally> tallies = new LinkedHashMap<>();
    private int rounds;
    private int written;
    private Instant lastWritten;
    private Instant startedAt;

    /** One gate over the window. A plain class: River saves it with the step. */
    private static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        Verdict last;
        final EnumMap<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        double min = Double.NaN;
        double max = Double.NaN;
    }

    /**
     * Takes one round's evaluations.
     *
     * @return the line to write, or empty for a quiet round
     */
    public Optional<String> round(List<GateEvaluation> evaluations, Instant now) {
        if (evaluations.isEmpty()) {
            return Optional.empty();
        }
        if (startedAt == null) {
            startedAt = now;
        }
        rounds++;
        boolean notable = lastWritten == null;
        for (GateEvaluation e : evaluations) {
            Tally t = tallies.computeIfAbsent(e.gate(), k -> new Tally());
            // a steady WARNING or INCONCLUSIVE was said when it began: only a change or a failure is news
            notable |= t.last != e.verdict() || e.verdict() == Verdict.FAIL;
            t.last = e.verdict();
            t.verdicts.merge(e.verdict(), 1, Integer::sum);
            if (!Double.isNaN(e.value())) {
                t.min = Double.isNaN(t.min) ? e.value() : Math.min(t.min, e.value());
                t.max = Double.isNaN(t.max) ? e.value() : Math.max(t.max, e.value());
            }
        }
        boolean heartbeat = lastWritten != null && !now.isBefore(lastWritten.plus(QUIET_LINE_EVERY));
        if (!notable && !heartbeat) {
            return Optional.empty();
        }
        lastWritten = now;
        written++;
        List<String> parts = new ArrayList<>();
        for (GateEvaluation e : evaluations) {
            parts.add(line(e));
        }
        return Optional.of(String.join("; ", parts));
    }

    /** E.g. {@code errorRate PASS 0.0011 (fails when > 0.01)}, with the reason unless the gate simply passed. */
    static String line(GateEvaluation e) {
        String s = e.gate() + " " + e.verdict() + " " + GateEvaluation.number(e.value()) + " (fails when "
                + e.comparison().symbol() + " " + GateEvaluation.number(e.threshold()) + ")";
        return e.verdict() == Verdict.PASS && "within the threshold".equals(e.reason()) ? s : s + ", " + e.reason();
    }

    /** E.g. {@code 37 rounds in 6m, 4 written; errorRate PASS ×37 (0 to 0.0021); p95Latency INCONCLUSIVE ×2, PASS ×35 (0.09 to 0.12)}. */
    public String summary(Instant now) {
        StringBuilder s = new StringBuilder().append(rounds).append(rounds == 1 ? " round" : " rounds");
        if (startedAt != null) {
            s.append(" in ").append(Duration.between(startedAt, now).toSeconds()).append(" s");
        }
        s.append(", ").append(written).append(" written");
        for (Map.Entry<String, Tally> en : tallies.entrySet()) {
            Tally t = en.getValue();
            s.append("; ").append(en.getKey());
            String sep = " ";
            for (Map.Entry<Verdict, Integer> v : t.verdicts.entrySet()) {
                s.append(sep).append(v.getKey()).append(" \u00d7").append(v.getValue());
                sep = ", ";
            }
            if (!Double.isNaN(t.min)) {
                s.append(" (").append(GateEvaluation.number(t.min)).append(" to ").append(GateEvaluation.number(t.max)).append(')');
            }
        }
        return s.toString();
    }

    public int rounds() {
        return rounds;
    }

    public int written() {
        return written;
    }
}
