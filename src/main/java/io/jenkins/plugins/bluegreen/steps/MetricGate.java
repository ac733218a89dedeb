package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.metrics.AlertCheck;
import io.jenkins.plugins.bluegreen.metrics.Comparison;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GateEvaluator;
import io.jenkins.plugins.bluegreen.metrics.GatePolicy;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.MannWhitneyJudge;
import io.jenkins.plugins.bluegreen.metrics.PromqlTemplate;
import io.jenkins.plugins.bluegreen.metrics.StableComparison;
import io.jenkins.plugins.bluegreen.metrics.TrafficShare;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * One metric gate as a Pipeline writes it: {@code gate('errorRate')}, {@code gate(name: 'p95Latency', threshold:
 * 0.5)}, or a gate on your own PromQL, {@code gate(name: 'checkout-5xx', query: '...', threshold: 0.02)}. A built-in
 * name starts from the guides' defaults; every value given overrides one. The query may use {@code ${namespace}},
 * {@code ${service}} and {@code ${color}}, filled in for the colour being watched.
 */
public final class MetricGate implements Describable<MetricGate>, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");
    /** The usual name of an alert gate: {@code gate(name: 'alerts', alerts: '...')}. */
    private static final String ALERTS = "alerts";

    private final String name;
    private String query;
    private String comparison;
    private Double threshold;
    private Double warningThreshold;
    private String sustain;
    private String interval;
    private String onNoData;
    private String onError;
    private Integer inconclusiveLimit;
    private Integer minRequests;
    private Double maxAboveStable;
    private Double maxTimesStable;
    private String judge;
    private Double judgeConfidence;
    private Double judgeTolerance;
    private String alerts;

    /** @param name a built-in gate ({@code errorRate}, {@code p95Latency}, {@code dbConnectionRatio}) or your own name */
    @DataBoundConstructor
    public MetricGate(String name) {
        this.name = name == null ? "" : name.trim();
    }

    /** A built-in gate, with the second guide's rollback thresholds. */
    public static MetricGate of(GateTemplate template) {
        return new MetricGate(template.id());
    }

    public @NonNull String getName() {
        return name;
    }

    public @CheckForNull String getQuery() {
        return query;
    }

    @DataBoundSetter
    public void setQuery(String query) {
        this.query = ClusterStep.trimToNull(query);
    }

    public @CheckForNull String getComparison() {
        return comparison;
    }

    /** @param comparison {@code >}, {@code >=}, {@code <} or {@code <=}: the gate fails while the value compares so */
    @DataBoundSetter
    public void setComparison(String comparison) {
        this.comparison = ClusterStep.trimToNull(comparison);
    }

    public @CheckForNull Double getThreshold() {
        return threshold;
    }

    @DataBoundSetter
    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public @CheckForNull Double getWarningThreshold() {
        return warningThreshold;
    }

    @DataBoundSetter
    public void setWarningThreshold(Double warningThreshold) {
        this.warningThreshold = warningThreshold;
    }

    public @CheckForNull String getSustain() {
        return sustain;
    }

    @DataBoundSetter
    public void setSustain(String sustain) {
        this.sustain = ClusterStep.trimToNull(sustain);
    }

    public @CheckForNull String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = ClusterStep.trimToNull(interval);
    }

    public @CheckForNull String getOnNoData() {
        return onNoData;
    }

    /** @param onNoData {@code PASS}, {@code FAIL} or {@code INCONCLUSIVE} (default): the verdict when the query finds nothing */
    @DataBoundSetter
    public void setOnNoData(String onNoData) {
        this.onNoData = policy(onNoData);
    }

    public @CheckForNull String getOnError() {
        return onError;
    }

    @DataBoundSetter
    public void setOnError(String onError) {
        this.onError = policy(onError);
    }

    public @CheckForNull Integer getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    @DataBoundSetter
    public void setInconclusiveLimit(Integer inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
    }

    public @CheckForNull Integer getMinRequests() {
        return minRequests;
    }

    /** @param minRequests for {@code trafficShare}: the requests the candidate must receive in a window (default 20) */
    @DataBoundSetter
    public void setMinRequests(Integer minRequests) {
        this.minRequests = minRequests;
    }

    public @CheckForNull Double getMaxAboveStable() {
        return maxAboveStable;
    }

    /** @param maxAboveStable the candidate may be at most this much above the stable colour, in the gate's unit */
    @DataBoundSetter
    public void setMaxAboveStable(Double maxAboveStable) {
        this.maxAboveStable = maxAboveStable;
    }

    public @CheckForNull Double getMaxTimesStable() {
        return maxTimesStable;
    }

    /** @param maxTimesStable the candidate may be at most this many times the stable colour's value */
    @DataBoundSetter
    public void setMaxTimesStable(Double maxTimesStable) {
        this.maxTimesStable = maxTimesStable;
    }

    public @CheckForNull String getJudge() {
        return judge;
    }

    /** @param judge {@code mannWhitney}: also judge the candidate against the stable colour statistically */
    @DataBoundSetter
    public void setJudge(String judge) {
        this.judge = ClusterStep.trimToNull(judge);
    }

    public @CheckForNull Double getJudgeConfidence() {
        return judgeConfidence;
    }

    /** @param judgeConfidence how sure the judge must be that the candidate is worse before it fails (default 0.98) */
    @DataBoundSetter
    public void setJudgeConfidence(Double judgeConfidence) {
        this.judgeConfidence = judgeConfidence;
    }

    public @CheckForNull Double getJudgeTolerance() {
        return judgeTolerance;
    }

    /** @param judgeTolerance how far above the stable colour's median the candidate may be, as a share of it (default 0.1) */
    @DataBoundSetter
    public void setJudgeTolerance(Double judgeTolerance) {
        this.judgeTolerance = judgeTolerance;
    }

    public @CheckForNull String getAlerts() {
        return alerts;
    }

    /**
     * @param alerts an alert gate: the alerts to watch, as label matchers ({@code severity="critical",service="${service}"});
     *     the gate fails as soon as one of them fires
     */
    @DataBoundSetter
    public void setAlerts(String alerts) {
        this.alerts = ClusterStep.trimToNull(alerts);
    }

    /** For an alert gate, its check with the service's values filled in; null for other gates. */
    @CheckForNull
    private AlertCheck alertCheck(RolloutTarget target, Color color) {
        return alerts == null ? null : new AlertCheck(PromqlTemplate.render(alerts, Map.of("namespace", target.namespace(),
                "service", target.service(), "color", color.label())));
    }

    /**
     * The gate on the candidate and, with {@code maxAboveStable}, {@code maxTimesStable} or a {@code judge}, its
     * comparisons with the stable colour over the same window. A bake has no stable colour serving to compare with:
     * {@code withStable} false leaves them out.
     */
    List<Gate> toGates(RolloutTarget target, Color candidate, boolean withStable) {
        Gate own = toGate(target, candidate);
        List<Gate> out = new ArrayList<>();
        out.add(own);
        if (!withStable) {
            return out;
        }
        if (maxAboveStable != null) {
            out.add(StableComparison.difference(own, toGate(target, candidate.other()), maxAboveStable));
        }
        if (maxTimesStable != null) {
            out.add(StableComparison.ratio(own, toGate(target, candidate.other()), maxTimesStable));
        }
        if (judge != null) {
            out.add(MannWhitneyJudge.gate(own, judgeConfidence == null ? MannWhitneyJudge.DEFAULT_CONFIDENCE : judgeConfidence));
        }
        return out;
    }

    /**
     * Gives the analysis what this gate's checks need beyond their queries: the configured weight for
     * {@code trafficShare}, the stable colour's value for the comparisons' log lines, and the statistical judge.
     */
    void configure(GateAnalysis analysis, RolloutTarget target, Color candidate, int weightPercent) {
        TrafficShare share = trafficShare(target, candidate, weightPercent);
        if (share != null) {
            analysis.withTrafficShare(name, share);
        }
        String stable = GateEvaluator.valueQuery(toGate(target, candidate.other()));
        for (String compared : List.of(StableComparison.differenceName(name), StableComparison.ratioName(name))) {
            if (analysis.gates().stream().anyMatch(g -> g.name().equals(compared))) {
                analysis.withStableValue(compared, stable);
            }
        }
        AlertCheck check = alertCheck(target, candidate);
        if (check != null) {
            analysis.withAlerts(name, check);
        }
        String judged = MannWhitneyJudge.name(name);
        if (analysis.gates().stream().anyMatch(g -> g.name().equals(judged))) {
            analysis.withJudge(judged, new MannWhitneyJudge(stable,
                    judgeTolerance == null ? MannWhitneyJudge.DEFAULT_TOLERANCE : judgeTolerance));
        }
    }

    /** For {@code trafficShare}: the check of the candidate's share against its configured weight; null for other gates. */
    @CheckForNull
    TrafficShare trafficShare(RolloutTarget target, Color color, int weightPercent) {
        if (!TrafficShare.NAME.equals(name) || query != null) {
            return null;
        }
        return new TrafficShare(target.namespace(), target.service(), color.label(), weightPercent,
                minRequests == null ? TrafficShare.DEFAULT_MIN_REQUESTS : minRequests);
    }

    /**
     * The gate as it watches one colour of a service.
     *
     * @throws IllegalArgumentException when the values do not make a gate (e.g. your own gate without a query or a
     *     threshold, or a warning level more severe than the threshold), with the gate's name in the message
     */
    public Gate toGate(RolloutTarget target, Color color) {
        AlertCheck check = alertCheck(target, color);
        if (check != null) {
            Gate defaults = Gate.custom(name, "vector(0)", Comparison.GT, 0, null)
                    .withInterval(interval == null ? null : DurationArgument.parse("interval", interval))
                    .withOnError(onError == null ? null : GatePolicy.valueOf(onError))
                    .withInconclusiveLimit(inconclusiveLimit == null ? Gate.DEFAULT_INCONCLUSIVE_LIMIT : inconclusiveLimit);
            return check.gate(name, defaults);
        }
        GateTemplate template = GateTemplate.byId(name);
        Map<String, String> vars = Map.of("namespace", target.namespace(), "service", target.service(), "color", color.label());
        Gate base;
        if (template != null) {
            base = template.gate(target, color);
            if (query != null) {
                base = new Gate(name, PromqlTemplate.render(query, vars), base.comparison(), base.threshold(),
                        base.warningThreshold(), base.sustain(), base.interval(), base.onNoData(), base.onError(),
                        base.inconclusiveLimit());
            }
        } else {
            if (query == null || threshold == null) {
                throw new IllegalArgumentException(Messages.MetricGate_CustomIncomplete(name, templates()));
            }
            base = Gate.custom(name, PromqlTemplate.render(query, vars), Comparison.GT, threshold, null);
        }
        Comparison c = comparison == null ? base.comparison() : parseComparison(comparison);
        Double warn = warningThreshold != null ? warningThreshold : comparison == null ? base.warningThreshold() : null;
        return new Gate(name, base.query(), c,
                threshold == null ? base.threshold() : threshold,
                warn,
                sustain == null ? base.sustain() : DurationArgument.parse("sustain", sustain),
                interval == null ? base.interval() : DurationArgument.parse("interval", interval),
                onNoData == null ? base.onNoData() : GatePolicy.valueOf(onNoData),
                onError == null ? base.onError() : GatePolicy.valueOf(onError),
                inconclusiveLimit == null ? base.inconclusiveLimit() : inconclusiveLimit);
    }

    /**
     * Checks each value, then builds the gate once for a sample service, so that a bad one or a bad combination is
     * refused when the step starts.
     *
     * @throws IllegalArgumentException naming the gate, the value and the rule
     */
    void validate() {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(Messages.MetricGate_NameInvalid(name, templates()));
        }
        if (query != null) {
            try {
                PromqlTemplate.render(query, Map.of("namespace", "ns", "service", "svc", "color", "blue")); // placeholders
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Messages.MetricGate_QueryInvalid(name, e.getMessage()), e);
            }
        }
        if (alerts != null && (query != null || threshold != null || comparison != null || warningThreshold != null
                || sustain != null || onNoData != null || maxAboveStable != null || maxTimesStable != null || judge != null
                || GateTemplate.byId(name) != null)) {
            throw new IllegalArgumentException(Messages.MetricGate_AlertsAlone(name));
        }
        if (alerts == null && ALERTS.equals(name)) {
            throw new IllegalArgumentException(Messages.MetricGate_AlertsMissing(name));
        }
        if (alerts != null) {
            try {
                alertCheck(new RolloutTarget("default", "service"), Color.BLUE);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Messages.MetricGate_AlertsInvalid(name, e.getMessage()), e);
            }
        }
        if (comparison != null) {
            parseComparison(comparison);
        }
        checkNumber("threshold", threshold);
        checkNumber("warningThreshold", warningThreshold);
        if (inconclusiveLimit != null && inconclusiveLimit < 0) {
            throw new IllegalArgumentException(Messages.MetricGate_NumberInvalid(name, "inconclusiveLimit"));
        }
        checkNumber("maxAboveStable", maxAboveStable);
        checkNumber("maxTimesStable", maxTimesStable);
        checkNumber("judgeConfidence", judgeConfidence);
        checkNumber("judgeTolerance", judgeTolerance);
        if (judge != null && !MannWhitneyJudge.ID.equals(judge)) {
            throw new IllegalArgumentException(Messages.MetricGate_JudgeInvalid(name, judge, MannWhitneyJudge.ID));
        }
        if ((judgeConfidence != null || judgeTolerance != null) && judge == null) {
            throw new IllegalArgumentException(Messages.MetricGate_JudgeMissing(name, MannWhitneyJudge.ID));
        }
        if ((judgeConfidence != null && !(judgeConfidence >= 0.5 && judgeConfidence < 1))
                || (judgeTolerance != null && judgeTolerance < 0)) {
            throw new IllegalArgumentException(Messages.MetricGate_JudgeNumbers(name));
        }
        boolean compared = maxAboveStable != null || maxTimesStable != null || judge != null;
        if ((maxAboveStable != null && maxAboveStable < 0) || (maxTimesStable != null && maxTimesStable <= 0)
                || (compared && !toGate(new RolloutTarget("default", "service"), Color.BLUE).comparison().upward())) {
            throw new IllegalArgumentException(Messages.MetricGate_StableInvalid(name));
        }
        if (minRequests != null && minRequests < 0) {
            throw new IllegalArgumentException(Messages.MetricGate_NumberInvalid(name, "minRequests"));
        }
        DurationArgument.parse("sustain", sustain);
        DurationArgument.parse("interval", interval);
        checkPolicy("onNoData", onNoData);
        checkPolicy("onError", onError);
        toGates(new RolloutTarget("default", "service"), Color.BLUE, true);
    }

    private void checkNumber(String what, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(Messages.MetricGate_NumberInvalid(name, what));
        }
    }

    private void checkPolicy(String what, String value) {
        if (value != null && Arrays.stream(GatePolicy.values()).noneMatch(p -> p.name().equals(value))) {
            throw new IllegalArgumentException(Messages.MetricGate_PolicyInvalid(name, what, value));
        }
    }

    @Override
    public String toString() {
        return "gate(" + name + ")";
    }

    private static Comparison parseComparison(String symbol) {
        for (Comparison c : Comparison.values()) {
            if (c.symbol().equals(symbol) || c.name().equalsIgnoreCase(symbol)) {
                return c;
            }
        }
        throw new IllegalArgumentException(Messages.MetricGate_ComparisonInvalid(symbol));
    }

    private static String policy(String value) {
        String v = ClusterStep.trimToNull(value);
        return v == null ? null : v.toUpperCase(Locale.ROOT);
    }

    private static String templates() {
        return Arrays.stream(GateTemplate.values()).map(GateTemplate::id).collect(Collectors.joining(", "));
    }

    @Extension
    @Symbol("gate")
    public static final class DescriptorImpl extends Descriptor<MetricGate> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.MetricGate_DisplayName();
        }
    }
}
