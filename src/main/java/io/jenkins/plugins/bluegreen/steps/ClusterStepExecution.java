package io.jenkins.plugins.bluegreen.steps;

import com.google.common.util.concurrent.ListenableFuture;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bluegreen.config.Connections;
import io.jenkins.plugins.bluegreen.engine.RollbackRetries;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.kubernetes.ApiRetries;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The durable execution the steps share. The work runs on {@link Timer}, never on the Pipeline thread, in bounded
 * pieces: {@link #perform} does what can be done now and returns either the step's result or the time it wants to
 * be called again (the next gate evaluation, the end of the bake time), so no thread sleeps through a wait.
 * Cluster access is resolved for the build, held transiently between pieces and rebuilt after a restart. The saved
 * state is the step's arguments and progress, never a secret or a client; the rest lives in the cluster's rollout
 * record, which every piece reads again, so {@link #onResume()} simply continues. The step completes once;
 * expected failures become {@link AbortException}s without a stack trace.
 */
abstract class ClusterStepExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(ClusterStepExecution.class.getName());

    final String service;
    private final String cluster;
    private final String serverUrl;
    private final String credentialsId;
    private final String namespace;
    /** The notify argument: IDs, events and formats, never a webhook URL. Null in a step saved before it existed. */
    private StepNotifications notifications;
    /** Whether the first piece ran: the notify credentials were checked and the start announced. */
    private boolean announced;
    private volatile String status = "waiting to start";

    private transient volatile Future<?> task;
    private transient boolean done;
    /** Whether a piece of work runs now (guarded by this): never two at once, and {@link #halt()} waits for it. */
    private transient boolean running;
    /** Why the Pipeline could not save this execution, once it could not: the step must not go on. */
    private transient volatile Throwable saveFailure;
    /** Set by {@link #stop}: the piece of work in flight must neither schedule more nor roll back on its own. */
    private transient volatile boolean stopping;
    private transient Env env;

    ClusterStepExecution(StepContext context, ClusterStep step) {
        super(context);
        this.service = step.getService();
        this.cluster = step.getCluster();
        this.serverUrl = step.getServerUrl();
        this.credentialsId = step.getCredentialsId();
        this.namespace = step.getNamespace();
        this.notifications = new StepNotifications(step.getNotify());
    }

    /** What {@link #perform} asks for next: to finish with a value, or to be called again at a time. */
    record Next(boolean finished, Object value, Instant at) {
        static Next finish(Object value) {
            return new Next(true, value, null);
        }

        static Next at(Instant at) {
            return new Next(false, null, at);
        }
    }


    /** The step's DSL name, used in log lines. */
    abstract String functionName();

    /** The status shown while a resumed execution continues. */
    abstract String resumingStatus();

    /** The message of the {@link AbortException} for an expected failure with {@code reason}. */
    abstract String failed(String reason);

    /**
     * The next piece of the step's work. Must be safe to call again after a restart: progress that matters is in
     * the execution's own serializable fields (saved by {@link #checkpoint()}) or in the rollout record.
     *
     * @throws AbortException to fail the step with a message and no stack trace
     */
    abstract Next perform(Env env) throws Exception;

    /**
     * Resolves, before a piece of work, what else the step needs to reach (e.g. its Prometheus). A failure here is a
     * refusal: nothing was done, so {@link #onFailure} is not called. Nothing by default.
     */
    void resolveAccess(Env env) throws Exception {}

    /**
     * Called, off the Pipeline thread, when the step failed after it may have changed the cluster, before the failure
     * is reported: a step that owns a rollout returns the traffic to the stable colour here. Nothing by default.
     *
     * @param unexpected whether the failure is a defect or an outage rather than a refusal or a verdict (the step's
     *     state may then be wrong: nothing must be left half-way)
     */
    void onFailure(Env env, String reason, boolean unexpected) throws Exception {}

    /** Whether aborting the build mid-step returns the traffic to the stable colour. */
    boolean rollsBackOnStop() {
        return false;
    }

    /** Called when the step is about to complete, successfully or not, with the cluster still reachable. */
    void beforeCompletion(Env env) {}

    /** The step's Alertmanager silences: expired when it ends, acknowledging on a rollback. None by default. */
    @CheckForNull
    StepSilences silences() {
        return null;
    }

    @Override
    public final boolean start() {
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public final void onResume() {
        status = resumingStatus();
        schedule(Duration.ZERO);
    }

    /**
     * The next piece, on the Timer once its time has come. A piece that moves the rollout then waits for one of the
     * {@link WorkSlots}, so that gate evaluations never queue behind other rollouts' deploys.
     */
    private synchronized void schedule(Duration delay) {
        if (!done && !stopping) {
            Runnable piece = saveFailure == null && movesNext()
                    ? () -> WorkSlots.shared().submit(this::run, Timer.get())
                    : this::run;
            task = Timer.get().schedule(piece, delayMillis(delay), TimeUnit.MILLISECONDS);
        }
    }

    /** Whole milliseconds, rounded up: a piece that comes before its time (a gate not yet due) only has to wait again. */
    static long delayMillis(Duration delay) {
        return delay.isNegative() ? 0 : (delay.toNanos() + 999_999) / 1_000_000;
    }

    /** Whether the next piece moves the rollout (deploy, shift, promote...) rather than watches it: by default not. */
    boolean movesNext() {
        return false;
    }

    @Override
    public final void stop(@NonNull Throwable cause) throws Exception {
        stopping = true;
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        if (!rollsBackOnStop() || isDone()) {
            status = "stopped";
            complete(cause, null);
            return;
        }
        status = "stopped: returning the traffic to the stable colour";
        String reason = Interruptions.describe(cause);
        Timer.get().submit(() -> {
            try {
                Env e = env();
                e.log.println(Messages.ClusterStepExecution_Stopping(functionName(), e.target.toString(), reason));
                RolloutEngine.Outcome outcome = e.engine.rollback(e.target, reason, null, e.owner());
                e.log.println(Messages.ClusterStepExecution_Stopped(functionName(), outcome.message()));
                announceEnding(e, outcome.changed() ? NotificationEvent.ROLLBACK : NotificationEvent.FAILED, outcome.record(),
                        reason, false);
                beforeCompletion(e);
            } catch (Exception | Error x) {
                LOGGER.log(Level.WARNING, "could not return " + service + " to its stable colour after " + functionName()
                        + " was stopped", x);
                TaskListener listener = listener();
                if (listener != null) {
                    listener.getLogger().println(Messages.ClusterStepExecution_StopRollbackFailed(functionName(), StepFailures.message(x)));
                }
                announceFailure(Messages.StepNotifications_RollbackFailedToo(reason, StepFailures.message(x)));
            } finally {
                complete(cause, null);
            }
        });
    }

    /**
     * Why this execution must not move its rollout any further, or null while it may: its build ended or is gone (a
     * build can end without {@link #stop} being called, e.g. when the Pipeline fails to save its program), or the
     * Pipeline could not save this execution. Checked before every piece of work and at every change of stage.
     */
    final @CheckForNull String mustStop() {
        Throwable failed = saveFailure;
        if (failed != null) {
            return Messages.ClusterStepExecution_SaveFailed(StepFailures.describeUnexpected(failed));
        }
        Run<?, ?> run;
        try {
            run = getContext().get(Run.class);
        } catch (Exception | LinkageError x) {
            return Messages.ClusterStepExecution_BuildGone(StepFailures.message(x));
        }
        if (run == null) {
            return Messages.ClusterStepExecution_BuildGone("no build in the step's context");
        }
        if (!run.isBuilding()) {
            return Messages.ClusterStepExecution_BuildEnded(run.getExternalizableId(), String.valueOf(run.getResult()));
        }
        return null;
    }

    /**
     * What to do to the rollout when the step must stop without its build (see {@link #mustStop}), before the step
     * completes: by default nothing. Must never move the rollout forward.
     */
    void onBuildLost(Env env, String why) throws Exception {}

    /** Ends the step because its build is no longer there to take it on: nothing moves forward from here. */
    private void abandon(String why) {
        stopping = true;
        status = "stopped: " + why;
        LOGGER.log(Level.WARNING, "{0} of {1} stops: {2}", new Object[] {functionName(), service, why});
        Env e = null;
        try {
            e = env();
            e.log.println(Messages.ClusterStepExecution_BuildLost(functionName(), why));
            onBuildLost(e, why);
        } catch (Exception | Error x) {
            LOGGER.log(Level.WARNING, functionName() + " of " + service + " could not settle its rollout after " + why, x);
            if (e != null) {
                e.log.println(Messages.ClusterStepExecution_BuildLostRollbackFailed(functionName(), StepFailures.message(x)));
            }
            announceFailure(Messages.StepNotifications_RollbackFailedToo(why, StepFailures.message(x)));
        } finally {
            complete(new AbortException(failed(why)), null);
        }
    }

    /** The Pipeline could not save this execution: the step stops at its next piece, or now if none runs. */
    private void saveFailed(Throwable cause) {
        LOGGER.log(Level.WARNING, "the Pipeline could not save " + functionName() + " of " + service, cause);
        synchronized (this) {
            saveFailure = cause;
            if (running || done || stopping) {
                return; // the piece in flight sees it at its next stage
            }
            Future<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
        }
        schedule(Duration.ZERO);
    }

    /**
     * Stops scheduling work without completing the step or touching the cluster: what a controller that dies does to
     * this execution. For restart tests, which then resume a deserialized copy.
     */
    final synchronized void halt() throws InterruptedException {
        done = true;
        Future<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        while (running) {
            wait(); // a dead controller does nothing more: the piece in flight ends (at its next stage) first
        }
        if (env != null) { // nor does it hold anything: its share of a client goes with it
            env.close();
            env = null;
        }
    }

    @Override
    public final String getStatus() {
        return status;
    }

    final void setStatus(String status) {
        this.status = status;
    }

    /**
     * Saves the execution (its progress fields) with the Pipeline, after a change of stage. The save happens on the
     * Pipeline's own thread; when it fails, the step stops (see {@link #mustStop}).
     */
    final void checkpoint() {
        ListenableFuture<Void> saved = getContext().saveState();
        saved.addListener(() -> {
            try {
                saved.get();
            } catch (ExecutionException x) {
                saveFailed(x.getCause() != null ? x.getCause() : x);
            } catch (InterruptedException | CancellationException x) {
                saveFailed(x);
            }
        }, Runnable::run);
    }

    private synchronized boolean isDone() {
        return done;
    }

    /** Whether this execution may still act: not completed, stopped or halted. */
    final synchronized boolean isActive() {
        return !done && !stopping;
    }

    /** Completes the step once: a late result of a cancelled piece is dropped. */
    private synchronized boolean claim() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    /** Completes the step once, after its notifications settled (bounded: see {@link StepNotifications}). */
    private void complete(Throwable failure, Object value) {
        if (claim()) {
            Env e;
            synchronized (this) {
                e = env;
            }
            StepSilences s = silences();
            if (e != null && s != null) {
                s.end(e, functionName()); // whatever the ending
            }
            notifications().whenSettled(() -> finish(failure, value));
        }
    }

    private void finish(Throwable failure, Object value) {
        Env e;
        synchronized (this) {
            e = env;
            env = null;
        }
        if (e != null) {
            e.close();
        }
        if (failure == null) {
            getContext().onSuccess(value);
        } else {
            getContext().onFailure(failure);
        }
    }

    private @CheckForNull TaskListener listener() {
        try {
            return getContext().get(TaskListener.class);
        } catch (Exception e) {
            return null;
        }
    }

    /** The cluster access of this piece of work: kept between pieces, resolved again after a restart. */
    private synchronized Env env() throws Exception {
        if (env != null) {
            return env;
        }
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        if (run == null || listener == null) {
            throw new AbortException(Messages.ClusterStep_NoContext(functionName()));
        }
        ClusterAccess access = Connections.cluster(run, cluster, serverUrl, credentialsId, namespace);
        env = Env.connect(run, listener.getLogger(), access, service, functionName());
        return env;
    }

    private void run() {
        synchronized (this) {
            if (done || stopping || running) {
                return;
            }
            running = true;
        }
        Duration again = null;
        try {
            again = piece();
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
                if (again != null) {
                    schedule(again);
                }
            }
        }
    }

    /** One piece of work; returns the delay until the next one, or null when none follows. */
    private @CheckForNull Duration piece() {
        Env e = null;
        try {
            String why = mustStop();
            if (why != null) {
                abandon(why);
                return null;
            }
            Env resolved = env();
            resolveAccess(resolved);
            e = resolved;
            if (!announced) {
                e.log.println(Messages.ClusterStepExecution_Retries(functionName(), ApiRetries.LIMIT, ApiRetries.FIRST_PAUSE_MILLIS,
                        ApiRetries.maxBackoff().toSeconds(), ApiRetries.MAX_RETRY_AFTER.toSeconds(), RollbackRetries.ATTEMPTS));
                try {
                    notifications().start(e, functionName());
                } catch (AbortException refused) { // bad notify credentials: refused before anything changes, no rollback
                    status = "failed";
                    complete(refused, null);
                    return null;
                }
                announced = true;
            }
            Next next = perform(e);
            if (stopping) {
                return null;
            }
            if (next.finished()) {
                status = "finished";
                beforeCompletion(e);
                complete(null, next.value());
                return null;
            }
            StepSilences s = silences(); // the next piece comes in time to extend the silence
            return Duration.between(e.clock.instant(), s == null ? next.at() : s.wakeBy(next.at()));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            if (!stopping) {
                status = "interrupted";
                complete(x, null);
            }
            return null;
        } catch (Exception | Error x) {
            String reason = StepFailures.expected(x);
            if (stopping) {
                return null; // stop() returns the traffic and completes the step
            }
            String loud = null; // the failure and a rollback that failed too: the step's own message says both
            if (e != null && !isDone()) {
                String why = reason != null ? reason : StepFailures.describeUnexpected(x);
                try {
                    onFailure(e, why, reason == null);
                } catch (Exception | Error y) {
                    x.addSuppressed(y);
                    e.log.println(Messages.ClusterStepExecution_FailureRollbackFailed(functionName(), StepFailures.message(y)));
                    why = Messages.StepNotifications_RollbackFailedToo(why, StepFailures.message(y));
                    loud = why;
                }
                announceEnding(e, NotificationEvent.FAILED, null, why, false); // unless onFailure announced its rollback
                beforeCompletion(e);
            }
            status = "failed";
            String said = loud != null && x instanceof AbortException ? loud : x instanceof AbortException ? x.getMessage()
                    : failed(loud != null ? loud : reason);
            complete(reason != null ? new AbortException(said) : x, null);
            return null;
        }
    }

    final StepNotifications notifications() {
        return notifications;
    }

    /** A step saved before notifications existed has none. */
    protected Object readResolve() {
        if (notifications == null) {
            notifications = new StepNotifications(null);
        }
        return this;
    }

    /** The record a notification may describe, given the service's current one: by default that one. */
    @CheckForNull
    RolloutRecord described(Env env, @CheckForNull RolloutRecord record) {
        return record;
    }

    /** Announces how the step ended badly (or a rollback it noticed); only its first ending is announced. */
    final void announceEnding(Env env, NotificationEvent event, @CheckForNull RolloutRecord record, String reason,
            boolean candidateFault) {
        notifications().ending(env, functionName(), event, r -> described(env, r), record, reason, candidateFault);
        StepSilences s = silences();
        if (event == NotificationEvent.ROLLBACK && s != null) {
            s.rolledBack(env, functionName(), record, reason); // after the rollback and its (asynchronous) announcement
        }
    }

    /** Announces a milestone of the rollout (ready, promoted, stable), without waiting for it. */
    final void announce(Env env, NotificationEvent event, RolloutRecord record, @CheckForNull RolloutRecord before) {
        notifications().milestone(env, functionName(), event, record, before);
    }

    /** Announces an ending with what is known when the cluster or the build's context failed. */
    private void announceFailure(String reason) {
        Env e;
        synchronized (this) {
            e = env;
        }
        if (e != null) {
            announceEnding(e, NotificationEvent.FAILED, null, reason, false);
        }
    }
}
