package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of the steps that watch metric gates: where Prometheus is (a configured name, or an inline URL with
 * an optional credentials ID), which gates (by default the error rate and P95 latency gates with the second
 * guide's rollback thresholds), and what a rollback does to the step: fail it (the default) or mark it unstable.
 */
public abstract class GatedStep extends ClusterStep {

    private String prometheus;
    private String prometheusUrl;
    private String prometheusCredentialsId;
    private List<MetricGate> gates;
    private boolean failOnRollback = true;
    private String warmUp;
    private Integer minEvaluations;

    /** The longest warm-up a step accepts: beyond it, a candidate without data is a finding, not a delay. */
    static final Duration MAX_WARM_UP = Duration.ofHours(1);
    static final int MAX_MIN_EVALUATIONS = 1000;

    protected GatedStep(String service) {
        super(service);
    }

    public @CheckForNull String getPrometheus() {
        return prometheus;
    }

    /** @param prometheus the name of a Prometheus server of the global configuration */
    @DataBoundSetter
    public void setPrometheus(String prometheus) {
        this.prometheus = trimToNull(prometheus);
    }

    public @CheckForNull String getPrometheusUrl() {
        return prometheusUrl;
    }

    /** @param prometheusUrl an inline Prometheus (checked when the step starts) */
    @DataBoundSetter
    public void setPrometheusUrl(String prometheusUrl) {
        this.prometheusUrl = trimToNull(prometheusUrl);
    }

    public @CheckForNull String getPrometheusCredentialsId() {
        return prometheusCredentialsId;
    }

    /** @param prometheusCredentialsId the ID of an inline Prometheus's credentials; never the secret itself */
    @DataBoundSetter
    public void setPrometheusCredentialsId(String prometheusCredentialsId) {
        this.prometheusCredentialsId = trimToNull(prometheusCredentialsId);
    }

    /** The gates as written, or null for the defaults. */
    public @CheckForNull List<MetricGate> getGates() {
        return gates == null ? null : new ArrayList<>(gates);
    }

    @DataBoundSetter
    public void setGates(List<MetricGate> gates) {
        this.gates = gates == null || gates.isEmpty() ? null : new ArrayList<>(gates);
    }

    public boolean isFailOnRollback() {
        return failOnRollback;
    }

    /** @param failOnRollback whether a rollback fails the step (true) or marks the stage and the build unstable */
    @DataBoundSetter
    public void setFailOnRollback(boolean failOnRollback) {
        this.failOnRollback = failOnRollback;
    }

    public @CheckForNull String getWarmUp() {
        return warmUp;
    }

    /**
     * @param warmUp how long an analysis waits after a shift for the candidate's first samples before "no data" counts;
     *     by default twice the scrape interval read from Prometheus plus each gate's rate window
     */
    @DataBoundSetter
    public void setWarmUp(String warmUp) {
        this.warmUp = trimToNull(warmUp);
    }

    public @CheckForNull Integer getMinEvaluations() {
        return minEvaluations;
    }

    /** @param minEvaluations how many evaluations with data each gate needs before a window can pass (default 3) */
    @DataBoundSetter
    public void setMinEvaluations(Integer minEvaluations) {
        this.minEvaluations = minEvaluations;
    }

    /** The warm-up written, or null for the default from the scrape interval. */
    @CheckForNull
    Duration warmUpDuration() {
        return DurationArgument.parse("warmUp", warmUp);
    }

    int effectiveMinEvaluations() {
        return minEvaluations == null ? GateAnalysis.DEFAULT_MIN_EVALUATIONS : minEvaluations;
    }

    @Override
    void validate() {
        super.validate();
        DurationArgument.parseWithin("warmUp", warmUp, Duration.ZERO, MAX_WARM_UP);
        if (minEvaluations != null && (minEvaluations < 1 || minEvaluations > MAX_MIN_EVALUATIONS)) {
            throw new IllegalArgumentException(Messages.GatedStep_MinEvaluationsInvalid(String.valueOf(minEvaluations),
                    String.valueOf(MAX_MIN_EVALUATIONS)));
        }
        if (gates != null) {
            Set<String> names = new HashSet<>();
            for (MetricGate g : gates) {
                if (g == null) {
                    throw new IllegalArgumentException(Messages.GatedStep_NullGate());
                }
                if (!names.add(g.getName())) {
                    throw new IllegalArgumentException(Messages.GatedStep_DuplicateGate(g.getName()));
                }
                g.validate();
            }
        }
        if (prometheus != null && prometheusUrl != null) {
            throw new IllegalArgumentException(Messages.GatedStep_PrometheusNameAndUrl());
        }
        checkUrl("prometheusUrl", prometheusUrl);
    }

    /**
     * Refuses a watched window or bake shorter than a gate's sustain window: no breach could last long enough in it to
     * fail the gate, so a failing candidate would pass; and one that cannot hold the evaluations each gate needs
     * ({@code minEvaluations}), which could only end inconclusive. Nothing is watched without a Prometheus, nor in a bake
     * of 0 s.
     */
    void requireWindowFitsGates(String argument, String value) {
        Duration watched = DurationArgument.parse(argument, value);
        if (watched == null || watched.isZero() || !hasPrometheus()) {
            return;
        }
        MetricGate longest = null;
        Duration sustain = Duration.ZERO;
        int needed = effectiveMinEvaluations();
        String tooFew = null;
        for (MetricGate g : effectiveGates()) {
            Gate gate = g.toGate(new RolloutTarget("default", "service"), Color.BLUE);
            if (gate.sustain().compareTo(sustain) > 0) {
                longest = g;
                sustain = gate.sustain();
            }
            // Even with no warm-up, n evaluations every interval span (n - 1) intervals: a shorter window can only
            // end inconclusive, which rolls the candidate back (after promotion, in a bake).
            Duration span = gate.interval().multipliedBy(needed - 1L);
            if (tooFew == null && watched.compareTo(span) < 0) {
                tooFew = Messages.GatedStep_TooFewEvaluations(argument, value.trim(), g.getName(),
                        DurationArgument.format(gate.interval()), String.valueOf(needed), DurationArgument.format(span));
            }
        }
        if (longest != null && watched.compareTo(sustain) < 0) {
            throw new IllegalArgumentException(Messages.GatedStep_ShorterThanSustain(argument, value.trim(), longest.getName(),
                    DurationArgument.format(sustain)));
        }
        if (tooFew != null) {
            throw new IllegalArgumentException(tooFew);
        }
    }

    /** Whether a Prometheus is named, inline or by configuration. */
    boolean hasPrometheus() {
        return prometheus != null || prometheusUrl != null;
    }

    /** The gates the step watches: the ones written, or error rate and P95 latency. */
    List<MetricGate> effectiveGates() {
        return gates != null ? gates : List.of(MetricGate.of(GateTemplate.ERROR_RATE), MetricGate.of(GateTemplate.P95_LATENCY));
    }

    /** The gates for one colour of a service, ready for an analysis. */
    static List<Gate> gatesFor(List<MetricGate> gates, RolloutTarget target, Color color) {
        List<Gate> out = new ArrayList<>();
        for (MetricGate g : gates) {
            out.add(g.toGate(target, color));
        }
        return out;
    }

    /**
     * The gates of an analysis of the candidate: each gate and, unless {@code withStable} is false (a bake, where the
     * stable colour serves nothing), its comparisons with the stable colour.
     */
    static List<Gate> analysisGates(List<MetricGate> gates, RolloutTarget target, Color candidate, boolean withStable) {
        List<Gate> out = new ArrayList<>();
        for (MetricGate g : gates) {
            out.addAll(g.toGates(target, candidate, withStable));
        }
        return out;
    }

    /** Refuses, when the step starts, a step that needs Prometheus and names none. */
    void requirePrometheus(String why) {
        if (!hasPrometheus()) {
            throw new IllegalArgumentException(Messages.GatedStep_PrometheusRequired(why));
        }
        if (prometheus != null && prometheusUrl != null) {
            throw new IllegalArgumentException(Messages.GatedStep_PrometheusNameAndUrl());
        }
    }

    @NonNull
    static String describeGates(List<MetricGate> gates) {
        List<String> names = new ArrayList<>();
        gates.forEach(g -> names.add(g.getName()));
        return String.join(", ", names);
    }
}
