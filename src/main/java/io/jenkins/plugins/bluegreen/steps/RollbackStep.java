package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code rollback}: returns all traffic of a service to its stable colour and scales the candidate to zero, from any
 * build and any phase. A service with nothing in progress is left alone, with a message (or a failure, on request).
 * Cluster access is resolved for the build each time the step runs; the step holds no secret and no client.
 */
public final class RollbackStep extends ClusterStep {

    /** The reason recorded when the Pipeline gives none. */
    public static final String DEFAULT_REASON = "requested by the Pipeline";

    private String reason = DEFAULT_REASON;
    private boolean failIfNothingToRollBack;

    /** @param service the service to roll back (its Deployments are {@code <service>-blue} and {@code <service>-green}) */
    @DataBoundConstructor
    public RollbackStep(String service) {
        super(service);
    }

    public @NonNull String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        String r = trimToNull(reason);
        this.reason = r == null ? DEFAULT_REASON : r;
    }

    public boolean isFailIfNothingToRollBack() {
        return failIfNothingToRollBack;
    }

    @DataBoundSetter
    public void setFailIfNothingToRollBack(boolean failIfNothingToRollBack) {
        this.failIfNothingToRollBack = failIfNothingToRollBack;
    }

    @Override
    String functionName() {
        return DescriptorImpl.FUNCTION_NAME;
    }

    @Override
    void validate() {
        super.validate();
        if (reason.length() > 500 || reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(Messages.RollbackStep_ReasonInvalid());
        }
    }

    @Override
    StepExecution newExecution(StepContext context) {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        static final String FUNCTION_NAME = "rollback";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RollbackStep_DisplayName();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object s = namedArgs.get("service");
            return s instanceof String ? (String) s : null;
        }
    }

    /**
     * Runs the rollback on {@link jenkins.util.Timer}, off the Pipeline thread: the engine blocks on the cluster. The
     * state is the step's arguments (names, IDs, a reason), never a secret or a client. Everything else lives in the
     * cluster's rollout record, so that after a restart {@link #onResume()} simply runs the (idempotent) rollback again.
     */
    public static final class Execution extends ClusterStepExecution {
        private static final long serialVersionUID = 1L;

        private final String reason;
        private final boolean failIfNothingToRollBack;

        Execution(RollbackStep step, StepContext context) {
            super(context, step);
            this.reason = step.reason;
            this.failIfNothingToRollBack = step.failIfNothingToRollBack;
        }

        @Override
        String functionName() {
            return DescriptorImpl.FUNCTION_NAME;
        }

        /** The rollback was asked for: it still returns the traffic when its build is gone (it moves nothing forward). */
        @Override
        void onBuildLost(Env env, String why) {
            RolloutEngine.Outcome outcome = env.engine.rollback(env.target, reason + " (" + why + ")", null, env.owner());
            StepSilences.expireRecorded(env, functionName(), outcome.record());
            if (outcome.changed()) {
                announceEnding(env, NotificationEvent.ROLLBACK, outcome.record(), reason + " (" + why + ")", false);
            }
        }

        @Override
        String resumingStatus() {
            return "resuming the rollback";
        }

        @Override
        String failed(String reason) {
            return Messages.RollbackStep_Failed(reason);
        }

        @Override
        Next perform(Env env) throws AbortException {
            setStatus("rolling back " + env.target);
            env.log.println(Messages.RollbackStep_Started(env.target.toString(), reason));
            RolloutEngine.Outcome outcome = env.engine.rollback(env.target, reason, null, env.owner());
            StepSilences.expireRecorded(env, functionName(), outcome.record()); // the rollout's step may be gone
            if (!outcome.changed()) {
                if (failIfNothingToRollBack) {
                    throw new AbortException(Messages.RollbackStep_NothingToRollBackFailure(outcome.message()));
                }
                env.log.println(Messages.RollbackStep_NothingToRollBack(outcome.message()));
            } else {
                env.log.println(Messages.RollbackStep_Finished(outcome.message()));
                RolloutAction.record(env.run, outcome.record());
                announceEnding(env, NotificationEvent.ROLLBACK, outcome.record(), reason, false);
            }
            return Next.finish(RolloutResult.of(env.run, env.target, outcome.record(), outcome.changed()));
        }
    }
}
