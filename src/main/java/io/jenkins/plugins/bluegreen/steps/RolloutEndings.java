package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Result;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * How a rollout plan tells its milestones and its bad endings: the rollback or the failed gates announced, then the
 * step failed, or its stage and the build marked unstable with {@code failOnRollback: false}. Holds nothing of its own
 * (made for each use), so nothing of it is saved with the execution.
 */
final class RolloutEndings {

    private final RolloutPlanExecution execution;
    private final Env env;

    RolloutEndings(RolloutPlanExecution execution, Env env) {
        this.execution = execution;
        this.env = env;
    }

    /**
     * The rollout was rolled back: announced, then the step fails or marks its stage and the build unstable.
     *
     * @param candidateFault whether the candidate failed a check (rather than someone withdrawing it)
     */
    ClusterStepExecution.Next rolledBack(String reason, boolean candidateFault) throws Exception {
        RolloutRecord record = env.engine.status(env.target).orElse(null);
        execution.announceEnding(env, NotificationEvent.ROLLBACK, record, reason, candidateFault);
        Long recovery = record == null || record.getRollback() == null ? null : record.getRollback().recoveryMillis();
        String message = Messages.RolloutPlan_RolledBack(env.target.toString(), reason,
                recovery == null ? "-" : recovery + " ms");
        return failOrWarn(message, RolloutResult.of(env.run, env.target, record, Phase.ROLLED_BACK.name(), reason, true));
    }

    /** The gates failed and nothing was rolled back ({@code rollbackOnFailure: false}). */
    ClusterStepExecution.Next gatesFailed(String reason) throws Exception {
        execution.announceEnding(env, NotificationEvent.FAILED, null, reason, true);
        return failOrWarn(Messages.RolloutPlan_GatesFailed(env.target.toString(), reason), RolloutResult.of(env.run, env.target,
                env.engine.status(env.target).orElse(null), RolloutResult.FAILED, reason, true));
    }

    private ClusterStepExecution.Next failOrWarn(String message, RolloutResult value) throws Exception {
        if (execution.failsOnRollback()) {
            throw new AbortException(message);
        }
        env.log.println(Messages.RolloutPlan_Unstable(execution.functionName(), message));
        FlowNode node = execution.getContext().get(FlowNode.class);
        if (node != null) {
            node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(message));
        }
        env.run.setResult(Result.UNSTABLE);
        return ClusterStepExecution.Next.finish(value);
    }

    /** The candidate is deployed and smoke-tested: ready with no traffic, or live at once on a first rollout. */
    void deployed() {
        StepNotifications notifications = execution.notifications();
        if (!notifications.wants(NotificationEvent.READY) && !notifications.wants(NotificationEvent.STABLE)) {
            return;
        }
        RolloutRecord r = record();
        if (r != null && (r.getPhase() == Phase.READY || r.getPhase() == Phase.STABLE)) {
            execution.announce(env, r.getPhase() == Phase.READY ? NotificationEvent.READY : NotificationEvent.STABLE, r, null);
        }
    }

    /** The record for a notification, or null: reading it never fails the step. */
    @CheckForNull
    RolloutRecord record() {
        try {
            return env.engine.status(env.target).orElse(null);
        } catch (RuntimeException x) {
            return null;
        }
    }
}
