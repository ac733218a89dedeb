package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.report.ReportInput;
import java.io.Serializable;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code blueGreenDeploy}, {@code shiftTraffic}, {@code verifyMetrics} and {@code rollback} return to the
 * Pipeline: the phase the step ended in, and after a rollback why, which gate failed at what value against what
 * threshold, and how long the stable colour took to serve again; both versions; the build's Blue-Green Rollout page.
 *
 * <p>{@link #toString()} is the phase, the String the steps returned before, so {@code env.X = blueGreenDeploy(...)}
 * (workflow-cps' EnvActionImpl stores {@code String.valueOf}), {@code "${result}"} and {@code switch (result)} keep
 * their meaning: Groovy calls it from Java there, outside the sandbox. {@code result == 'READY'} is false now: Groovy's
 * {@code ==} ends in {@code equals}, and one that accepted a String could not be symmetric ({@code 'READY' == result}
 * asks String's). Pipelines compare {@code result.phase}.
 *
 * <p>Sandboxed Pipelines read the getters because each is {@link Whitelisted}: script-security's AnnotatedWhitelist
 * reads the annotation on the method its GroovyCallSiteSelector picks, the declaration in the most general supertype.
 * So no supertype may declare a getter of the same name, and {@code toString()} is permitted as Object's, by the
 * generic whitelist, not by an annotation here.
 *
 * <p>Pipeline keeps the value in the program's variables, which it saves with JBoss Marshalling River: final fields
 * of String and boxed numbers only, never a Jenkins object. XStream never sees it: EnvActionImpl keeps only the
 * String, and a step's arguments (ArgumentsActionImpl) do not store a type like this one. Every value comes from the
 * rollout record, which holds no secret, or from Jenkins' own URL; texts are clipped as on the build page.
 */
public final class RolloutResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The phase of a step that ended with the gates failed and nothing rolled back ({@code rollbackOnFailure: false}). */
    static final String FAILED = "FAILED";
    /** The phase of {@code rollback} on a service that has no rollout record. */
    static final String NONE = "NONE";

    private final String phase;
    private final String service;
    private final String namespace;
    private final String reason;
    private final String gate;
    private final Double value;
    private final Double threshold;
    private final String comparison;
    private final Long timeToRevertMillis;
    private final String candidateImage;
    private final String candidateColor;
    private final String stableImage;
    private final String stableColor;
    private final String reportUrl;

    private RolloutResult(String phase, RolloutTarget target, ReportInput in, String reason, GatePoint gate, String reportUrl) {
        Rollback rb = in == null ? null : in.rollback();
        this.phase = phase;
        this.service = target.service();
        this.namespace = target.namespace();
        this.reason = RolloutAction.clip(reason);
        this.gate = gate == null ? null : RolloutAction.clip(gate.gate());
        this.value = gate == null ? null : gate.value();
        this.threshold = gate == null ? null : gate.threshold();
        this.comparison = gate == null ? null : gate.comparison();
        this.timeToRevertMillis = rb == null ? null : rb.recoveryMillis();
        this.candidateImage = in == null ? null : RolloutAction.clip(in.candidateImage());
        this.candidateColor = in == null ? null : in.candidateColor();
        this.stableImage = in == null ? null : RolloutAction.clip(in.stableImage());
        this.stableColor = in == null ? null : in.stableColor();
        this.reportUrl = reportUrl;
    }

    /**
     * A step that ended in the phase the record holds (e.g. STABLE, PROMOTED, READY, SHIFTED, or ROLLED_BACK with its
     * reason); {@link #NONE} without a record.
     *
     * @param recorded whether the step copies the record to the build's page as it completes; else the page shows
     *     the service only if an earlier step of the build put it there
     */
    static @NonNull RolloutResult of(@NonNull Run<?, ?> run, @NonNull RolloutTarget target, @CheckForNull RolloutRecord record,
            boolean recorded) {
        if (record == null || record.getPhase() == null) {
            return new RolloutResult(NONE, target, null, null, null, reportUrl(run, target, false));
        }
        return of(run, target, record, record.getPhase().name(), null, recorded);
    }

    /**
     * A step that ended in {@code phase}, e.g. ROLLED_BACK or {@link #FAILED} with {@code failOnRollback: false}, for
     * {@code reason} (null: the current rollout's rollback reason, if any). A gate is named only when one caused the
     * rollback (the engine then records when the breach was detected: the rollout's last failing evaluation), or
     * failed the last window (an inconclusive window names none).
     */
    static @NonNull RolloutResult of(@NonNull Run<?, ?> run, @NonNull RolloutTarget target, @CheckForNull RolloutRecord record,
            @NonNull String phase, @CheckForNull String reason, boolean recorded) {
        ReportInput in = record == null ? null : ReportInput.of(record);
        Rollback rb = in == null ? null : in.rollback();
        String why = reason != null ? reason : rb != null && Phase.ROLLED_BACK.name().equals(phase) ? rb.reason() : null;
        GatePoint gate = null;
        if (FAILED.equals(phase)) {
            gate = failure(in, true);
        } else if (Phase.ROLLED_BACK.name().equals(phase) && rb != null && rb.detectedAt() != null) {
            gate = failure(in, false);
        }
        return new RolloutResult(phase, target, in, why, gate, reportUrl(run, target, recorded && record != null));
    }

    /**
     * The rollout's last failing evaluation, or the one that ended its last window: the engine writes an "analysis"
     * event when a window ends, right after the evaluations that ended it.
     */
    private static @CheckForNull GatePoint failure(@CheckForNull ReportInput in, boolean endingLastWindow) {
        GatePoint last = null;
        GatePoint inWindow = null;
        GatePoint endedWindow = null;
        for (RolloutEvent e : in == null ? List.<RolloutEvent>of() : in.events()) {
            if (e.gate() != null && "FAIL".equals(e.gate().verdict())) {
                last = e.gate();
                inWindow = e.gate();
            } else if ("analysis".equals(e.type())) {
                endedWindow = inWindow;
                inWindow = null;
            }
        }
        return endingLastWindow ? endedWindow : last;
    }

    /**
     * The build's Blue-Green Rollout page, absolute, when it shows the service and Jenkins knows its own URL (Manage
     * Jenkins » System » Jenkins URL); else null. Computed off any request, so it is the configured URL.
     */
    private static @CheckForNull String reportUrl(@NonNull Run<?, ?> run, @NonNull RolloutTarget target, boolean recorded) {
        if (!recorded && !shows(run, target)) {
            return null;
        }
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        String root;
        try {
            root = jenkins == null ? null : jenkins.getRootUrl();
        } catch (IllegalStateException e) { // its location configuration is not loaded: no URL to give
            return null;
        }
        return root == null ? null : root + run.getUrl() + RolloutAction.URL_NAME + "/";
    }

    private static boolean shows(Run<?, ?> run, RolloutTarget target) {
        RolloutAction action = run.getAction(RolloutAction.class);
        return action != null && action.getEntries().stream()
                .anyMatch(e -> target.namespace().equals(e.getNamespace()) && target.service().equals(e.getService()));
    }

    /**
     * STABLE, PROMOTED, READY, SHIFTED or ROLLED_BACK (a phase of the rollout record), {@code FAILED} (gates failed,
     * nothing rolled back), or {@code NONE} ({@code rollback} of a service without a record). Never null.
     */
    @Whitelisted
    public @NonNull String getPhase() {
        return phase;
    }

    @Whitelisted
    public @NonNull String getService() {
        return service;
    }

    @Whitelisted
    public @NonNull String getNamespace() {
        return namespace;
    }

    /** Why the rollout was rolled back, or why the gates failed; null when neither happened. */
    @Whitelisted
    public @CheckForNull String getReason() {
        return reason;
    }

    /** The gate whose failure rolled the rollout back (or failed it); null when no gate did, e.g. a smoke test. */
    @Whitelisted
    public @CheckForNull String getGate() {
        return gate;
    }

    /** The failing gate's value; null without a gate, or when it had no data. */
    @Whitelisted
    public @CheckForNull Double getValue() {
        return value;
    }

    /** The level at which the gate fails. */
    @Whitelisted
    public @CheckForNull Double getThreshold() {
        return threshold;
    }

    /** How the value fails against the threshold: {@code >}, {@code >=}, {@code <} or {@code <=}. */
    @Whitelisted
    public @CheckForNull String getComparison() {
        return comparison;
    }

    /** From the breach (or the start of the rollback) to the stable colour serving all traffic again; null without one. */
    @Whitelisted
    public @CheckForNull Long getTimeToRevertMillis() {
        return timeToRevertMillis;
    }

    /** The image this rollout brought; after a decommission, the one now serving. */
    @Whitelisted
    public @CheckForNull String getCandidateImage() {
        return candidateImage;
    }

    /** {@code blue} or {@code green}. */
    @Whitelisted
    public @CheckForNull String getCandidateColor() {
        return candidateColor;
    }

    /** The image that served before; null once it is decommissioned or before a first rollout. */
    @Whitelisted
    public @CheckForNull String getStableImage() {
        return stableImage;
    }

    @Whitelisted
    public @CheckForNull String getStableColor() {
        return stableColor;
    }

    /** The build's Blue-Green Rollout page, e.g. {@code https://jenkins.example.com/job/shop-deploy/12/blue-green-rollout/}. */
    @Whitelisted
    public @CheckForNull String getReportUrl() {
        return reportUrl;
    }

    /** The phase, as the steps returned it before they returned this. */
    @Override
    public String toString() {
        return phase;
    }
}
