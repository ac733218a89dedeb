package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code shiftTraffic}: gives the candidate colour of a rollout {@code percent} % of the traffic, then optionally
 * watches the gates for {@code analysisWindow}, and at 100 % may {@code promote} and, after {@code bakeTime},
 * decommission the old colour. The engine enforces the phase rules, the capacity guard and the all-or-nothing rule
 * of a Service-selector router; a refusal fails the step and changes nothing. A failing gate rolls back. Cluster and
 * Prometheus access are resolved for the build each time the step runs; the step holds no secret and no client.
 */
public final class ShiftTrafficStep extends RolloutStep {

    private final int percent;
    private String analysisWindow;
    private boolean promote;
    private String bakeTime;
    private boolean rollbackOnFailure = true;

    /**
     * @param service the service whose traffic moves (its Deployments are {@code <service>-blue} and {@code <service>-green})
     * @param percent the candidate's share of the traffic, 0 to 100
     */
    @DataBoundConstructor
    public ShiftTrafficStep(String service, int percent) {
        super(service);
        this.percent = percent;
    }

    public int getPercent() {
        return percent;
    }

    public @CheckForNull String getAnalysisWindow() {
        return analysisWindow;
    }

    /** @param analysisWindow how long to watch the gates after the shift, e.g. {@code '10m'}; none by default */
    @DataBoundSetter
    public void setAnalysisWindow(String analysisWindow) {
        this.analysisWindow = trimToNull(analysisWindow);
    }

    public boolean isPromote() {
        return promote;
    }

    /** @param promote at 100 %: make the candidate the serving colour (the old one stays up until decommissioned) */
    @DataBoundSetter
    public void setPromote(boolean promote) {
        this.promote = promote;
    }

    public @CheckForNull String getBakeTime() {
        return bakeTime;
    }

    /** @param bakeTime with {@code promote}: how long after promotion to keep the old colour up, then decommission it */
    @DataBoundSetter
    public void setBakeTime(String bakeTime) {
        this.bakeTime = trimToNull(bakeTime);
    }

    public boolean isRollbackOnFailure() {
        return rollbackOnFailure;
    }

    /** @param rollbackOnFailure whether a failing gate rolls back (true) or only fails the step */
    @DataBoundSetter
    public void setRollbackOnFailure(boolean rollbackOnFailure) {
        this.rollbackOnFailure = rollbackOnFailure;
    }

    @Override
    String functionName() {
        return DescriptorImpl.FUNCTION_NAME;
    }

    @Override
    void validate() {
        super.validate();
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException(Messages.ShiftTrafficStep_PercentInvalid(String.valueOf(percent)));
        }
        DurationArgument.parseWithin("analysisWindow", analysisWindow, Duration.ofSeconds(1), DurationArgument.MAX_WINDOW);
        DurationArgument.parseWithin("bakeTime", bakeTime, Duration.ZERO, EngineSettings.MAX_BAKE_TIME);
        requireWindowFitsGates("analysisWindow", analysisWindow);
        requireWindowFitsGates("bakeTime", bakeTime);
    }

    /** The stages this step runs, checking the combination of arguments. */
    List<RolloutPlanExecution.Stage> plan() {
        if (promote && percent != 100) {
            throw new IllegalArgumentException(Messages.ShiftTrafficStep_PromoteNeeds100(String.valueOf(percent)));
        }
        if (bakeTime != null && !promote) {
            throw new IllegalArgumentException(Messages.ShiftTrafficStep_BakeNeedsPromote());
        }
        List<RolloutPlanExecution.Stage> plan = new ArrayList<>();
        plan.add(RolloutPlanExecution.Stage.shift(percent));
        if (analysisWindow != null) {
            requirePrometheus("analysisWindow");
            plan.add(RolloutPlanExecution.Stage.analyze(DurationArgument.parse("analysisWindow", analysisWindow)));
        }
        RolloutPlanExecution.Stage.addCompletion(plan, promote, DurationArgument.parse("bakeTime", bakeTime));
        return plan;
    }

    @Override
    StepExecution newExecution(StepContext context) {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends GatedStepDescriptor {
        static final String FUNCTION_NAME = "shiftTraffic";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ShiftTrafficStep_DisplayName();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object s = namedArgs.get("service");
            if (!(s instanceof String)) {
                return null;
            }
            Object p = namedArgs.get("percent");
            return p instanceof Number || p instanceof String ? s + " \u2192 " + p + " %" : (String) s;
        }

        @POST
        public FormValidation doCheckPercent(@QueryParameter String value) {
            return StepForms.checkPercent(value);
        }

    }

    /**
     * Runs the shift, and the analysis, promotion and bake that may follow, as a {@link RolloutPlanExecution}: a shift
     * to a weight is idempotent and an analysis or bake continues from its saved state, so after a restart
     * {@link #onResume()} carries on where the step was.
     */
    public static final class Execution extends RolloutPlanExecution {
        private static final long serialVersionUID = 1L;

        Execution(ShiftTrafficStep step, StepContext context) {
            super(context, step, step.plan(), step.rollbackOnFailure);
        }

        @Override
        String functionName() {
            return DescriptorImpl.FUNCTION_NAME;
        }

        @Override
        String resumingStatus() {
            return "resuming the traffic shift";
        }

        @Override
        String failed(String reason) {
            return Messages.ShiftTrafficStep_Failed(reason);
        }
    }
}
