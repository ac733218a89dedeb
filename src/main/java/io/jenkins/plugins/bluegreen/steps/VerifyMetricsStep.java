package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code verifyMetrics}: watches the gates of a rollout's candidate colour for a window. A failing gate ends the
 * window at once and rolls back (the default) or, with {@code rollbackOnFailure: false}, only fails the step (or
 * marks it unstable, with {@code failOnRollback: false}). An analysis that is still inconclusive at the end counts as
 * a failure: missing data never passes a candidate.
 */
public final class VerifyMetricsStep extends GatedStep {

    /** The window when none is given. */
    public static final String DEFAULT_WINDOW = "5m";

    private String window = DEFAULT_WINDOW;
    private boolean rollbackOnFailure = true;

    /** @param service the service whose candidate colour is watched */
    @DataBoundConstructor
    public VerifyMetricsStep(String service) {
        super(service);
    }

    public @NonNull String getWindow() {
        return window;
    }

    /** @param window how long to watch, e.g. {@code '10m'} */
    @DataBoundSetter
    public void setWindow(String window) {
        String w = trimToNull(window);
        this.window = w == null ? DEFAULT_WINDOW : w;
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
        DurationArgument.parseWithin("window", window, Duration.ofSeconds(1), DurationArgument.MAX_WINDOW);
        requirePrometheus("verifyMetrics");
        requireWindowFitsGates("window", window);
    }

    @Override
    StepExecution newExecution(StepContext context) {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends GatedStepDescriptor {
        static final String FUNCTION_NAME = "verifyMetrics";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.VerifyMetricsStep_DisplayName();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object s = namedArgs.get("service");
            if (!(s instanceof String)) {
                return null;
            }
            Object w = namedArgs.get("window");
            return s + " for " + (w instanceof String ? w : DEFAULT_WINDOW);
        }

        @POST
        public FormValidation doCheckWindow(@QueryParameter String value) {
            return StepForms.checkDuration("window", value);
        }
    }

    /** One analysis window as a {@link RolloutPlanExecution}: after a restart the saved analysis continues. */
    public static final class Execution extends RolloutPlanExecution {
        private static final long serialVersionUID = 1L;

        Execution(VerifyMetricsStep step, StepContext context) {
            super(context, step, List.of(new Stage(Stage.Kind.ANALYZE, 0, DurationArgument.parse("window", step.window))),
                    step.rollbackOnFailure);
        }

        @Override
        String functionName() {
            return DescriptorImpl.FUNCTION_NAME;
        }

        @Override
        String resumingStatus() {
            return "resuming the analysis";
        }

        @Override
        String failed(String reason) {
            return Messages.VerifyMetricsStep_Failed(reason);
        }
    }
}
