package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Analysis;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * TEST CODE: one rollout driven the way the Pipeline steps drive the engine ({@code RolloutPlanExecution} on
 * {@code ClusterStepExecution}): a plan of stages run in bounded pieces on a shared scheduler that stands in for
 * {@code jenkins.util.Timer}. A piece does what can be done now, then finishes or reschedules itself at the next
 * gate evaluation or at the end of the window, so no thread waits through a window. The engine calls are the
 * step's, in the step's order; the Jenkins parts (build log, checkpoints, the run's result) are left out.
 */
final class RolloutMachine {

    enum Kind { DEPLOY, SHIFT, ANALYZE, PROMOTE, BAKE, DECOMMISSION }

    /** One stage: {@code percent} for a shift, {@code duration} for an analysis window or the bake time. */
    record Stage(Kind kind, int percent, Duration duration) {
        static Stage of(Kind kind) {
            return new Stage(kind, 0, null);
        }
    }

    /** The plan {@code blueGreenDeploy} builds: deploy; per traffic step a shift and an analysis; promote, bake, decommission. */
    static List<Stage> plan(List<Integer> steps, Duration window, Duration bake) {
        List<Stage> plan = new ArrayList<>();
        plan.add(Stage.of(Kind.DEPLOY));
        for (int percent : steps) {
            plan.add(new Stage(Kind.SHIFT, percent, null));
            if (window != null) {
                plan.add(new Stage(Kind.ANALYZE, 0, window));
            }
        }
        if (steps.get(steps.size() - 1) == 100) {
            plan.add(Stage.of(Kind.PROMOTE));
            if (bake != null) {
                plan.add(new Stage(Kind.BAKE, 0, bake));
                plan.add(Stage.of(Kind.DECOMMISSION));
            }
        }
        return plan;
    }

    /** Builds the gates' analysis when a window starts (null: the window only waits). */
    interface Gates {
        Analysis start(RolloutRecord record);
    }

    /**
     * How the rollout ended: the record's phase (PROMOTED, STABLE, ROLLED_BACK), or FAILED with the error.
     *
     * @param lags for every piece but the first: {when it began (nanoTime), how late it began after the time it asked for
     *     (the scheduler's lag, in microseconds)}
     * @param busyNanos time spent inside pieces (engine calls, gate queries)
     * @param stageMillis per stage of the plan, from its first piece to its end (a window's includes its wait); -1 if it never ended
     */
    record Result(String end, String detail, long startNanos, long endNanos, int pieces, long busyNanos, List<long[]> lags,
                  List<Double> stageMillis, RolloutRecord record) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final RolloutEngine engine;
    private final DeploySpec spec;
    private final RolloutTarget target;
    private final List<Stage> plan;
    private final Gates gates;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Consumer<Stage> onWindow;
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    // touched by one piece at a time (each piece schedules the next)
    private int next;
    private boolean firstRollout;
    private boolean ended;
    private Analysis analysis;
    private Instant windowEnd;
    private Instant readyDeadline;
    private long startNanos;
    private long expectedNanos;
    private int pieces;
    private long busyNanos;
    private final List<long[]> lags = new ArrayList<>();
    private final long[] stageStarted;
    private final long[] stageEnded;

    /** @param onWindow told when an analysis window or the bake starts (may be null) */
    RolloutMachine(RolloutEngine engine, DeploySpec spec, List<Stage> plan, Gates gates, ScheduledExecutorService timer, Clock clock,
            Consumer<Stage> onWindow) {
        this.engine = engine;
        this.spec = spec;
        this.target = spec.target();
        this.plan = List.copyOf(plan);
        this.gates = gates;
        this.timer = timer;
        this.clock = clock;
        this.onWindow = onWindow == null ? s -> {} : onWindow;
        this.stageStarted = new long[plan.size()];
        this.stageEnded = new long[plan.size()];
    }

    /** Submits the first piece; the future completes when the plan is done, rolled back or failed. */
    CompletableFuture<Result> start() {
        startNanos = System.nanoTime();
        expectedNanos = startNanos;
        timer.execute(this::piece);
        return result;
    }

    private void piece() {
        long began = System.nanoTime();
        if (pieces++ > 0) { // the first piece waits in the queue behind everyone's start: not a late timer
            lags.add(new long[] {began, Math.max(0, began - expectedNanos) / 1000});
        }
        try {
            Instant at = perform();
            busyNanos += System.nanoTime() - began;
            if (at == null) {
                finish(null);
            } else {
                long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
                expectedNanos = System.nanoTime() + delay;
                timer.schedule(this::piece, delay, TimeUnit.NANOSECONDS);
            }
        } catch (Exception | Error e) {
            busyNanos += System.nanoTime() - began;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            rollBackAfter(e);
            finish(e);
        }
    }

    /** The stages that can run now; the time to come back, or null when the plan is over. */
    private Instant perform() throws Exception {
        while (next < plan.size() && !ended) {
            Stage stage = plan.get(next);
            if (stageStarted[next] == 0) {
                stageStarted[next] = System.nanoTime();
            }
            if (firstRollout && stage.kind() != Kind.DEPLOY) { // a first rollout went live at once
                next++;
                continue;
            }
            switch (stage.kind()) {
                case DEPLOY:
                    try {
                        // As the steps do: apply, then check readiness in pieces, off the scheduler in between.
                        if (readyDeadline == null) {
                            engine.beginDeploy(spec);
                            readyDeadline = clock.instant().plus(spec.readinessTimeout());
                        }
                        if (engine.checkDeploy(target, spec.owner(), readyDeadline, spec.readinessTimeout()).isEmpty()) {
                            Instant now = clock.instant();
                            Instant again = now.plus(RolloutEngine.readinessPollDelay(
                                    Duration.between(readyDeadline.minus(spec.readinessTimeout()), now)));
                            return again.isAfter(readyDeadline) ? readyDeadline : again;
                        }
                    } catch (RolloutException e) {
                        if (e.kind() != RolloutException.Kind.READINESS) {
                            throw e;
                        }
                        ended = true; // the engine scaled the candidate down and recorded why
                        return null;
                    }
                    firstRollout = engine.status(target).map(r -> r.getPhase() == Phase.STABLE).orElse(false);
                    break;
                case SHIFT:
                    engine.shift(target, stage.percent(), spec.owner());
                    break;
                case ANALYZE:
                case BAKE:
                    Instant wait = watch(stage);
                    if (wait != null || ended) {
                        return wait;
                    }
                    break;
                case PROMOTE:
                    engine.promote(target, spec.owner());
                    break;
                case DECOMMISSION:
                    Duration bake = plan.stream().filter(s -> s.kind() == Kind.BAKE).map(Stage::duration).findFirst()
                            .orElse(Duration.ZERO);
                    engine.decommission(target, bake, spec.owner());
                    break;
                default:
                    throw new IllegalStateException(String.valueOf(stage.kind()));
            }
            stageEnded[next] = System.nanoTime();
            next++;
            analysis = null;
            windowEnd = null;
        }
        return null;
    }

    /** One tick of a window, as the step's {@code watch}: when to come back, or null once the window is over. */
    private Instant watch(Stage stage) throws InterruptedException {
        RolloutRecord record = engine.status(target).orElseThrow(() -> new IllegalStateException("no record for " + target));
        if (record.getPhase() == Phase.ROLLED_BACK || record.getPhase() == Phase.ROLLING_BACK) {
            ended = true;
            return null;
        }
        if (windowEnd == null) {
            windowEnd = stage.kind() == Kind.BAKE && record.getPromotedAt() != null
                    ? Instant.parse(record.getPromotedAt()).plus(stage.duration())
                    : clock.instant().plus(stage.duration());
            analysis = gates == null ? null : gates.start(record);
            onWindow.accept(stage);
        }
        if (analysis == null) {
            return clock.instant().isBefore(windowEnd) ? windowEnd : null;
        }
        RolloutEngine.VerificationTick tick = engine.verifyTick(target, analysis, stage.duration(), windowEnd, spec.owner(), true);
        Verification done = tick.finished();
        if (done == null) {
            Instant due = analysis.nextDueAt(clock.instant()).orElse(windowEnd);
            return due.isAfter(windowEnd) ? windowEnd : due;
        }
        if (done.verdict() == Verdict.PASS) {
            return null;
        }
        if (done.record() == null || done.record().getPhase() != Phase.ROLLED_BACK) {
            engine.rollback(target, done.message(), null, spec.owner()); // inconclusive: missing data never promotes
        }
        ended = true;
        return null;
    }

    /** As the step's {@code onFailure}: a rollout left half-way goes back to the stable colour. */
    private void rollBackAfter(Throwable failure) {
        try {
            RolloutRecord r = engine.status(target).orElse(null);
            if (r != null && !r.getPhase().isSettled() && r.getPhase() != Phase.PROMOTED) {
                engine.rollback(target, "benchmark rollout failed: " + failure, null, spec.owner());
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void finish(Throwable failure) {
        long end = System.nanoTime(); // before the read below, which is the benchmark's, not the step's
        RolloutRecord record = null;
        try {
            record = engine.status(target).orElse(null);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        String phase = failure != null ? "FAILED" : record == null ? "NONE" : record.getPhase().name();
        String detail = failure != null ? String.valueOf(failure.getMessage() == null ? failure : failure.getMessage())
                : record != null && record.getRollback() != null ? record.getRollback().reason() : "";
        List<Double> stages = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            stages.add(stageEnded[i] == 0 ? -1.0 : (stageEnded[i] - stageStarted[i]) / 1e6);
        }
        result.complete(new Result(phase, detail, startNanos, end, pieces, busyNanos, List.copyOf(lags), stages, record));
    }
}
