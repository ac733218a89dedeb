package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bluegreen.config.Connections;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import io.jenkins.plugins.bluegreen.metrics.AnalysisLog;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.metrics.WarmUp;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A rollout as a list of stages run one after the other: deploy, smoke-test, shift to a weight, watch the gates for a
 * window, promote, bake (watching the gates) and decommission. {@code blueGreenDeploy} runs all of them,
 * {@code shiftTraffic} a shift with optional analysis, promotion and bake, {@code verifyMetrics} one analysis.
 *
 * <p>The saved progress is the index of the current stage, the gate analysis of a window in progress (small and
 * serializable) and the window's end; a restart continues from there, and every stage reads the rollout record
 * again, so a rollout rolled back meanwhile (by another build) ends the step with the truth. A failing gate rolls
 * back at once; an analysis still inconclusive at the end of its window does too (missing data never promotes).
 * A rollback then fails the step or, with {@code failOnRollback: false}, marks the stage and the build unstable.
 */
abstract class RolloutPlanExecution extends ClusterStepExecution {
    private static final long serialVersionUID = 1L;

    /**
     * One stage of a plan; {@code percent} for a shift, {@code duration} for an analysis window or a bake. A plain
     * class, not a record: Pipeline saves the plan with JBoss Marshalling River, which reads a record through its
     * accessors and cannot reach those of a record nested in a package-private class.
     */
    static final class Stage implements Serializable {
        private static final long serialVersionUID = 1L;

        enum Kind { DEPLOY, SMOKE, SHIFT, ANALYZE, PROMOTE, BAKE, DECOMMISSION }

        private final Kind kind;
        private final int percent;
        private final Duration duration;

        Stage(Kind kind, int percent, Duration duration) {
            this.kind = kind;
            this.percent = percent;
            this.duration = duration;
        }

        static Stage of(Kind kind) {
            return new Stage(kind, 0, null);
        }

        static Stage shift(int percent) {
            return new Stage(Kind.SHIFT, percent, null);
        }

        static Stage analyze(Duration window) {
            return new Stage(Kind.ANALYZE, 0, window);
        }

        Kind kind() {
            return kind;
        }

        int percent() {
            return percent;
        }

        Duration duration() {
            return duration;
        }

        /** Promotion, then (with a bake time) the bake and the decommission that end a rollout. */
        static void addCompletion(List<Stage> plan, boolean promote, Duration bakeTime) {
            if (promote) {
                plan.add(of(Kind.PROMOTE));
            }
            if (bakeTime != null) {
                plan.add(new Stage(Kind.BAKE, 0, bakeTime));
                plan.add(of(Kind.DECOMMISSION));
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stage && ((Stage) o).kind == kind && ((Stage) o).percent == percent
                    && Objects.equals(((Stage) o).duration, duration);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, percent, duration);
        }

        @Override
        public String toString() {
            switch (kind) {
                case SHIFT:
                    return "shift to " + percent + " %";
                case ANALYZE:
                    return "analysis for " + DurationArgument.format(duration);
                case BAKE:
                    return "bake time of " + DurationArgument.format(duration);
                default:
                    return kind.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    private final String prometheus;
    private final String prometheusUrl;
    private final String prometheusCredentialsId;
    private final ArrayList<MetricGate> gates;
    private final boolean failOnRollback;
    private final boolean rollbackOnFailure;
    private final ArrayList<Stage> plan;
    /** The step's warmUp argument as written (null: from the scrape interval), and its minEvaluations. */
    private final String warmUp;
    private final int minEvaluations;

    /** The rollout's Alertmanager silences; null for verifyMetrics and in a step saved before they existed. */
    private final StepSilences silences;
    private int next;
    private boolean stageAnnounced;
    private GateAnalysis analysis;
    private AnalysisLog analysisLog;
    private Instant windowEnd;

    private transient PrometheusClient prometheusClient;

    RolloutPlanExecution(StepContext context, GatedStep step, List<Stage> plan, boolean rollbackOnFailure) {
        super(context, step);
        this.prometheus = step.getPrometheus();
        this.prometheusUrl = step.getPrometheusUrl();
        this.prometheusCredentialsId = step.getPrometheusCredentialsId();
        this.gates = new ArrayList<>(step.effectiveGates());
        this.failOnRollback = step.isFailOnRollback();
        this.rollbackOnFailure = rollbackOnFailure;
        this.plan = new ArrayList<>(plan);
        this.warmUp = step.getWarmUp();
        this.minEvaluations = step.effectiveMinEvaluations();
        this.silences = step instanceof RolloutStep ? new StepSilences((RolloutStep) step) : null;
    }

    /**
     * The DEPLOY stage, one piece at a time: starts the deploy, then checks readiness without waiting for it.
     *
     * @return when to check again, or null once the candidate is ready
     */
    Instant deploy(Env env) throws Exception {
        throw new IllegalStateException("no deploy stage in " + functionName());
    }

    /** Runs the smoke tests against the candidate (the SMOKE stage); a failure is a {@link SmokeFailure}. */
    void smokeTest(Env env) throws Exception {
        throw new IllegalStateException("no smoke tests in " + functionName());
    }

    /** Whether to pass over a stage, e.g. the traffic stages after a first rollout, which went live at once. */
    boolean skip(Stage stage) {
        return false;
    }

    /** Whether this step started the rollout, so that any failure of it rolls the rollout back. */
    boolean ownsRollout() {
        return false;
    }

    /** An expected failure of the candidate itself that was (or must be) rolled back, e.g. a failed smoke test. */
    static final class SmokeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SmokeFailure(String message) {
            super(message);
        }
    }

    /** The index of the stage running now (the plan's size once it is done): what a restart continues from. */
    final int stageIndex() {
        return next;
    }

    /** The stage running now, or null once the plan is done. */
    final @CheckForNull Stage currentStage() {
        return next < plan.size() ? plan.get(next) : null;
    }

    /**
     * Every piece but those of a window (or bake) in progress: gate evaluations never wait for a {@link WorkSlots} slot.
     * Read by the piece that set these fields, as it schedules the next, or before the first piece.
     */
    @Override
    final boolean movesNext() {
        return currentStage() != null && windowEnd == null;
    }

    @Override
    final boolean rollsBackOnStop() {
        return true;
    }

    /** Before the first stage: a bad Prometheus name, URL or credentials refuse the step before a shift moves traffic. */
    @Override
    final void resolveAccess(Env env) throws Exception {
        if (next == 0 && !stageAnnounced && hasPrometheus()) {
            prometheus(env);
        }
        if (silences != null) { // created before the first change (or the step is refused), then kept alive
            silences.beforePiece(env, functionName(), next == 0 && !stageAnnounced);
        }
    }

    @Override
    final StepSilences silences() {
        return silences;
    }

    @Override
    final Next perform(Env env) throws Exception {
        while (next < plan.size()) {
            if (!isActive() || mustStop() != null) {
                return Next.at(env.clock.instant()); // the next piece stops the step, before any stage moves on
            }
            Stage stage = plan.get(next);
            if (skip(stage)) {
                next++;
                stageAnnounced = false;
                continue;
            }
            setStatus(stage + " of " + env.target);
            if (!stageAnnounced) { // once, not on every piece of a stage that waits
                env.log.println(Messages.RolloutPlan_Stage(functionName(), stage.toString(), env.target.toString()));
                stageAnnounced = true;
            }
            switch (stage.kind()) {
                case DEPLOY:
                    try {
                        Instant again = deploy(env);
                        if (again != null) {
                            return Next.at(again);
                        }
                    } catch (RolloutException e) {
                        if (e.kind() == RolloutException.Kind.READINESS) {
                            return endings(env).rolledBack(e.getMessage(), true); // the engine scaled the candidate down already
                        }
                        throw e;
                    }
                    break;
                case SMOKE:
                    try {
                        smokeTest(env);
                    } catch (SmokeFailure e) {
                        env.engine.rollback(env.target, e.getMessage(), null, env.owner());
                        return endings(env).rolledBack(e.getMessage(), true);
                    }
                    break;
                case SHIFT:
                    if (stage.percent() == 100 && plan.contains(Stage.of(Stage.Kind.PROMOTE)) && env.engine.status(env.target)
                            .map(r -> r.getPhase() == Phase.PROMOTED).orElse(false)) {
                        env.log.println(Messages.RolloutPlan_AlreadyPromoted(functionName(), env.target.toString()));
                        break; // a later call that only bakes and decommissions
                    }
                    RolloutEngine.Outcome shifted = env.engine.shift(env.target, stage.percent(), env.owner());
                    if (!shifted.changed()) {
                        env.log.println(Messages.RolloutPlan_Unchanged(functionName(), shifted.message()));
                    }
                    break;
                case ANALYZE:
                case BAKE:
                    Next waiting = watch(env, stage);
                    if (waiting != null) {
                        return waiting;
                    }
                    break;
                case PROMOTE:
                    RolloutEngine.Outcome promoted = env.engine.promote(env.target, env.owner());
                    if (promoted.changed()) {
                        announce(env, NotificationEvent.PROMOTED, promoted.record(), null);
                    }
                    break;
                case DECOMMISSION:
                    Duration bake = plan.stream().filter(s -> s.kind() == Stage.Kind.BAKE).map(Stage::duration)
                            .findFirst().orElse(Duration.ZERO);
                    RolloutRecord before = notifications().wants(NotificationEvent.STABLE) ? endings(env).record() : null;
                    RolloutEngine.Outcome retired = env.engine.decommission(env.target, bake, env.owner());
                    if (retired.changed()) {
                        announce(env, NotificationEvent.STABLE, retired.record(), before);
                    }
                    break;
                default:
                    throw new IllegalStateException(String.valueOf(stage.kind()));
            }
            if ((stage.kind() == Stage.Kind.DEPLOY || stage.kind() == Stage.Kind.SMOKE)
                    && (next + 1 >= plan.size() || plan.get(next + 1).kind() != Stage.Kind.SMOKE)) {
                endings(env).deployed();
            }
            next++;
            stageAnnounced = false;
            analysis = null;
            analysisLog = null;
            windowEnd = null;
            checkpoint();
        }
        RolloutRecord record = env.engine.status(env.target).orElse(null);
        return Next.finish(RolloutResult.of(env.run, env.target, record, true));
    }

    /**
     * An analysis window, or the bake time after promotion: evaluates the gates that are due and returns when to come
     * back, or null once the window passed. A bake with no Prometheus, or of 0 s, only waits.
     */
    private Next watch(Env env, Stage stage) throws Exception {
        Instant early = notDueYet(env.clock.instant());
        if (early != null) {
            return Next.at(early); // woken before any gate is due (a timer a little early, an extra wake-up): no request
        }
        RolloutRecord record = env.engine.status(env.target).orElseThrow(() -> new AbortException(
                Messages.RolloutPlan_NoRecord(env.target.toString())));
        if (record.getPhase() == Phase.ROLLED_BACK || record.getPhase() == Phase.ROLLING_BACK) {
            String why = record.getRollback() == null ? String.valueOf(record.getPhase()) : record.getRollback().reason();
            return endings(env).rolledBack(Messages.RolloutPlan_RolledBackMeanwhile(env.target.toString(), why), false);
        }
        // A bake of 0 s watches nothing: no evaluation fits in it, so it would only ever be inconclusive.
        boolean watching = stage.kind() == Stage.Kind.ANALYZE || hasPrometheus() && !stage.duration().isZero();
        if (windowEnd == null) {
            windowEnd = stage.kind() == Stage.Kind.BAKE && record.getPromotedAt() != null
                    ? Instant.parse(record.getPromotedAt()).plus(stage.duration())
                    : env.clock.instant().plus(stage.duration());
            if (watching) {
                analysis = newAnalysis(env, record, stage.kind() == Stage.Kind.BAKE);
                analysisLog = new AnalysisLog();
            }
            env.log.println(stage.kind() == Stage.Kind.BAKE
                    ? Messages.RolloutPlan_Baking(functionName(), DurationArgument.format(stage.duration()), windowEnd.toString(),
                            watching ? GatedStep.describeGates(gates) : Messages.RolloutPlan_NoGates())
                    : Messages.RolloutPlan_Analysing(functionName(), DurationArgument.format(stage.duration()),
                            GatedStep.describeGates(gates)));
            checkpoint();
        }
        if (!watching) {
            return env.clock.instant().isBefore(windowEnd) ? Next.at(windowEnd) : null;
        }
        PrometheusAnalysis gated = new PrometheusAnalysis(prometheus(env), analysis);
        RolloutEngine.VerificationTick tick = env.engine.verifyTick(env.target, gated, stage.duration(), windowEnd,
                env.owner(), rollbackOnFailure);
        Verification done = tick.finished();
        if (analysisLog == null) { // a window saved before the log existed
            analysisLog = new AnalysisLog();
        }
        Instant now = env.clock.instant();
        analysisLog.round(gated.lastTick(), now).ifPresent(line -> env.log.println(Messages.RolloutPlan_Round(functionName(), line)));
        if (done != null) {
            env.log.println(Messages.RolloutPlan_WindowSummary(functionName(), analysisLog.summary(now)));
        }
        if (done == null) {
            Instant due = gated.nextDueAt(env.clock.instant()).orElse(windowEnd);
            return Next.at(due.isAfter(windowEnd) ? windowEnd : due);
        }
        if (done.verdict() == Verdict.PASS) {
            env.log.println(Messages.RolloutPlan_Passed(functionName(), done.message()));
            return null;
        }
        boolean rolledBack = done.record() != null && done.record().getPhase() == Phase.ROLLED_BACK;
        if (!rolledBack && rollbackOnFailure) {
            // Inconclusive to the end: missing data never promotes, so the candidate goes.
            rolledBack = env.engine.rollback(env.target, done.message(), null, env.owner()).changed();
        }
        if (rolledBack) {
            RolloutRecord after = env.engine.status(env.target).orElse(null);
            return endings(env).rolledBack(after != null && after.getRollback() != null ? after.getRollback().reason() : done.message(), true);
        }
        return endings(env).gatesFailed(done.message());
    }

    /** When the window in progress has its next gate due, if that is still to come before the window's end; else null. */
    private @CheckForNull Instant notDueYet(Instant now) {
        if (windowEnd == null || analysis == null || !now.isBefore(windowEnd)) {
            return null;
        }
        Instant due = analysis.nextDueAt(now).orElse(null);
        return due == null || !due.isAfter(now) ? null : due.isAfter(windowEnd) ? windowEnd : due;
    }

    /**
     * The window's analysis of the candidate: its gates and, outside a bake (the stable colour serves nothing then),
     * their comparisons with the stable colour; trafficShare against the weight the record holds; and each gate's
     * warm-up: the step's {@code warmUp}, or derived from the scrape interval the Prometheus reports; said in the log,
     * since it decides how long a candidate without data is waited for.
     */
    private GateAnalysis newAnalysis(Env env, RolloutRecord record, boolean bake) throws Exception {
        Color candidate = record.candidateColor();
        GateAnalysis made = withWarmUp(env, GatedStep.analysisGates(gates, env.target, candidate, !bake));
        int weight = record.getWeights() == null ? 0 : record.getWeights().of(candidate);
        for (MetricGate g : gates) {
            g.configure(made, env.target, candidate, weight);
        }
        return made;
    }

    private GateAnalysis withWarmUp(Env env, List<Gate> windowGates) throws Exception {
        Duration fixed = DurationArgument.parse("warmUp", warmUp);
        Duration scrape = null;
        String why;
        if (fixed != null) {
            why = Messages.RolloutPlan_WarmUpArgument();
        } else {
            try {
                scrape = prometheus(env).scrapeInterval().orElse(WarmUp.PROMETHEUS_DEFAULT_SCRAPE);
                why = Messages.RolloutPlan_WarmUpFromScrape(DurationArgument.format(scrape));
            } catch (PrometheusException e) {
                scrape = WarmUp.PROMETHEUS_DEFAULT_SCRAPE;
                why = Messages.RolloutPlan_WarmUpUnknownScrape(e.getMessage(), DurationArgument.format(scrape));
            }
        }
        GateAnalysis made = GateAnalysis.forWindow(windowGates, scrape, fixed, minEvaluations);
        env.log.println(Messages.RolloutPlan_WarmUp(functionName(), DurationArgument.format(made.longestWarmUp()), why,
                minEvaluations));
        return made;
    }

    private RolloutEndings endings(Env env) {
        return new RolloutEndings(this, env);
    }

    /** Whether a rollback fails the step, rather than marking its stage and the build unstable. */
    final boolean failsOnRollback() {
        return failOnRollback;
    }

    final boolean hasPrometheus() {
        return prometheus != null || prometheusUrl != null;
    }

    final List<MetricGate> gates() {
        return List.copyOf(gates);
    }

    /** The build's Prometheus client: kept between pieces of work, built again after a restart. */
    final PrometheusClient prometheus(Env env) throws Exception {
        if (prometheusClient == null) {
            prometheusClient = Connections.prometheus(env.run, prometheus, prometheusUrl, prometheusCredentialsId);
        }
        return prometheusClient;
    }

    @Override
    final void onFailure(Env env, String reason, boolean unexpected) throws Exception {
        RolloutRecord record = env.engine.status(env.target).orElse(null);
        if (record == null || record.getPhase().isSettled()) {
            return;
        }
        Stage stage = currentStage();
        boolean watching = stage != null && (stage.kind() == Stage.Kind.ANALYZE || stage.kind() == Stage.Kind.BAKE);
        boolean ours = ownsRollout() && env.owner().equals(record.getOwner());
        if (stage != null && stage.kind() == Stage.Kind.DEPLOY) {
            // A deploy refused up front changed nothing (and must not undo an earlier candidate); one that broke
            // half-way left its record DEPLOYING.
            ours = ours && record.getPhase() == Phase.DEPLOYING;
        }
        // An unexpected failure may leave the step's own progress wrong: no traffic stays half-way unwatched.
        boolean halfway = unexpected && record.getPhase() != Phase.PROMOTED;
        if ((watching && rollbackOnFailure) || ours || halfway) {
            env.log.println(Messages.RolloutPlan_RollingBackAfterFailure(functionName(), reason));
            RolloutEngine.Outcome back = env.engine.rollback(env.target, functionName() + " failed: " + reason, null, env.owner());
            if (back.changed()) {
                announceEnding(env, NotificationEvent.ROLLBACK, back.record(), back.record().getRollback() == null ? reason
                        : back.record().getRollback().reason(), false);
            }
        }
    }

    /**
     * The build is gone: a rollout this step was moving is returned to its stable colour, so that nobody is left with
     * a candidate serving part of the traffic unwatched; a promoted one stays as it is (the old colour kept for a
     * rollback) until a later build finishes the bake or rolls back. Nothing ever moves forward from here.
     */
    @Override
    final void onBuildLost(Env env, String why) {
        RolloutRecord record = env.engine.status(env.target).orElse(null);
        if (record == null || record.getPhase().isSettled()) {
            return;
        }
        if (ownsRollout() && !env.owner().equals(record.getOwner())) {
            return; // another build's rollout, e.g. one that refused our deploy
        }
        if (record.getPhase() == Phase.PROMOTED) {
            env.log.println(Messages.RolloutPlan_LeftPromoted(functionName(), env.target.toString()));
            announceEnding(env, NotificationEvent.FAILED, record, Messages.StepNotifications_LeftPromoted(why), false);
            return;
        }
        env.log.println(Messages.RolloutPlan_ReturningAfterBuildLost(functionName(), env.target.toString()));
        RolloutEngine.Outcome back = env.engine.rollback(env.target, functionName() + " stopped: " + why, null, env.owner());
        announceEnding(env, back.changed() ? NotificationEvent.ROLLBACK : NotificationEvent.FAILED, back.record(),
                functionName() + " stopped: " + why, false);
    }

    /** A rollout this step started describes itself; before its deploy began, the record is another rollout's. */
    @Override
    final RolloutRecord described(Env env, RolloutRecord record) {
        return record != null && ownsRollout() && !env.owner().equals(record.getOwner()) ? null : record;
    }

    @Override
    final void beforeCompletion(Env env) {
        prometheusClient = null; // the Pipeline may hold a finished execution for long: not its HTTP client's threads
        env.engine.status(env.target).ifPresent(r -> RolloutAction.record(env.run, r));
    }
}
