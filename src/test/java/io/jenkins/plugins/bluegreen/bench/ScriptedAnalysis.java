package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Analysis;
import io.jenkins.plugins.bluegreen.engine.Evaluation;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TEST CODE: a gate whose answers are known in advance: PASS for {@code passes} evaluations, then FAIL. It takes
 * no time to decide, so what follows the FAIL is the engine's own work; {@link #decidedNanos()} is the instant the
 * failing evaluation returned to the engine, i.e. the moment the breach became decidable.
 */
final class ScriptedAnalysis implements Analysis {

    private final int passes;
    private final Duration interval;
    private int evaluated;
    private Instant last;
    private Instant failedAt;
    private volatile long decidedNanos;

    ScriptedAnalysis(int passes, Duration interval) {
        this.passes = passes;
        this.interval = interval;
    }

    @Override
    public List<Evaluation> tick(Instant now) {
        if (failedAt != null || (last != null && now.isBefore(last.plus(interval)))) {
            return List.of();
        }
        last = now;
        boolean fail = ++evaluated > passes;
        Verdict v = fail ? Verdict.FAIL : Verdict.PASS;
        double value = fail ? 0.06 : 0.001;
        Evaluation e = new Evaluation("errorRate " + v + " at " + now + ": value " + value + " (fails when > 0.01), scripted",
                new GatePoint("errorRate", value, 0.01, ">", v.name()));
        if (fail) {
            failedAt = now;
            decidedNanos = System.nanoTime();
        }
        return List.of(e);
    }

    @Override
    public Verdict verdict() {
        return failedAt != null ? Verdict.FAIL : evaluated == 0 ? Verdict.INCONCLUSIVE : Verdict.PASS;
    }

    @Override
    public Optional<Instant> firstFailureAt() {
        return Optional.ofNullable(failedAt);
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        if (failedAt != null) {
            return Optional.empty();
        }
        Instant due = last == null ? now : last.plus(interval);
        return Optional.of(due.isBefore(now) ? now : due);
    }

    @Override
    public String failureSummary() {
        return failedAt == null ? "" : "errorRate FAIL at " + failedAt + ": value 0.06 (fails when > 0.01), scripted";
    }

    /** When the failing evaluation returned, or 0 before. */
    long decidedNanos() {
        return decidedNanos;
    }
}
