package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code shiftTraffic}: gives the candidate colour of a rollout {@code percent} % of the traffic. The engine enforces
 * the phase rules, the capacity guard and the all-or-nothing rule of a Service-selector router; a refusal fails the
 * step with the engine's message and changes nothing. Cluster access is resolved for the build each time the step
 * runs; the step holds no secret and no client.
 */
public final class ShiftTrafficStep extends ClusterStep {

    private final int percent;

    /**
     * @param service the service whose traffic moves (its Deployments are {@code <service>-blue} and {@code <service>-green})
     * @param percent the candidate's share of the traffic, 0 to 100
     */
    @DataBoundConstructor
    public ShiftTrafficStep(String service, int percent) {
        super(service);
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException(Messages.ShiftTrafficStep_PercentInvalid(String.valueOf(percent)));
        }
        this.percent = percent;
    }

    public int getPercent() {
        return percent;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "shiftTraffic";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ShiftTrafficStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
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
        public ListBoxModel doFillClusterItems(@AncestorInPath Item item, @QueryParameter String cluster) {
            return StepForms.fillClusterItems(item, cluster);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String serverUrl, @QueryParameter String credentialsId) {
            return StepForms.fillCredentialsIdItems(item, serverUrl, credentialsId, CredentialsResolver.CLUSTER_CREDENTIALS);
        }

        @POST
        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String serverUrl, @QueryParameter String value) {
            return StepForms.checkCredentialsId(item, serverUrl, value, CredentialsResolver.CLUSTER_CREDENTIALS);
        }

        @POST
        public FormValidation doCheckService(@QueryParameter String value) {
            return StepForms.checkService(value);
        }

        @POST
        public FormValidation doCheckNamespace(@QueryParameter String value) {
            return StepForms.checkNamespace(value);
        }

        @POST
        public FormValidation doCheckPercent(@QueryParameter String value) {
            return StepForms.checkPercent(value);
        }
    }

    /**
     * Runs the shift on {@link jenkins.util.Timer}, off the Pipeline thread. The state is the step's arguments, never a
     * secret or a client; a shift to a weight is idempotent, so after a restart {@link #onResume()} runs it again: the
     * engine finishes an interrupted shift, or reports that the traffic is already there.
     */
    public static final class Execution extends ClusterStepExecution {
        private static final long serialVersionUID = 1L;

        private final int percent;

        Execution(ShiftTrafficStep step, StepContext context) {
            super(context, step);
            this.percent = step.percent;
        }

        @Override
        String functionName() {
            return "shiftTraffic";
        }

        @Override
        String resumingStatus() {
            return "resuming the traffic shift";
        }

        @Override
        String failed(String reason) {
            return Messages.ShiftTrafficStep_Failed(reason);
        }

        @Override
        void perform(RolloutEngine engine, RolloutTarget target, Run<?, ?> run, PrintStream log) throws AbortException {
            setStatus("shifting " + target + " to " + percent + " %");
            log.println(Messages.ShiftTrafficStep_Started(target.toString(), String.valueOf(percent)));
            RolloutEngine.Outcome outcome = engine.shift(target, percent, run.getExternalizableId());
            log.println(outcome.changed()
                    ? Messages.ShiftTrafficStep_Finished(outcome.message())
                    : Messages.ShiftTrafficStep_Unchanged(outcome.message()));
        }
    }
}
