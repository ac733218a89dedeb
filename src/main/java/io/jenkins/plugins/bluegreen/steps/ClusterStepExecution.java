package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.config.Connections;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterConfigurationException;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Future;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What the steps that make one engine call share: the call runs on {@link Timer}, off the Pipeline thread, with
 * cluster access resolved for the build each time (a client, a {@link FabricCluster} and a {@link RolloutEngine}
 * whose events go to the build log); the step completes once; expected failures become {@link AbortException}s
 * without a stack trace. The saved state is the step's arguments and a status, never a secret or a client: the rest
 * lives in the cluster's rollout record, so {@link #onResume()} simply runs the (idempotent) call again.
 */
abstract class ClusterStepExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;

    final String service;
    private final String cluster;
    private final String serverUrl;
    private final String credentialsId;
    private final String namespace;
    private volatile String status = "waiting to start";

    private transient volatile Future<?> task;
    private transient boolean done;

    ClusterStepExecution(StepContext context, ClusterStep step) {
        super(context);
        this.service = step.getService();
        this.cluster = step.getCluster();
        this.serverUrl = step.getServerUrl();
        this.credentialsId = step.getCredentialsId();
        this.namespace = step.getNamespace();
    }

    /** The step's DSL name, used in log lines. */
    abstract String functionName();

    /** The status shown while a resumed execution runs again. */
    abstract String resumingStatus();

    /** The message of the {@link AbortException} for an expected failure with {@code reason}. */
    abstract String failed(String reason);

    /**
     * The step's work against the engine; returns normally on success (the step succeeds with no value).
     *
     * @throws AbortException to fail the step with a message and no stack trace
     */
    abstract void perform(RolloutEngine engine, RolloutTarget target, Run<?, ?> run, PrintStream log) throws AbortException;

    @Override
    public final boolean start() {
        schedule();
        return false;
    }

    @Override
    public final void onResume() {
        status = resumingStatus();
        schedule();
    }

    private void schedule() {
        task = Timer.get().submit(this::run);
    }

    @Override
    public final void stop(@NonNull Throwable cause) throws Exception {
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        status = "stopped";
        complete(cause);
    }

    @Override
    public final String getStatus() {
        return status;
    }

    final void setStatus(String status) {
        this.status = status;
    }

    /** Completes the step once: a late result of a cancelled task is dropped. */
    private synchronized boolean claim() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    private void complete(Throwable failure) {
        if (claim()) {
            if (failure == null) {
                getContext().onSuccess(null);
            } else {
                getContext().onFailure(failure);
            }
        }
    }

    private void run() {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            if (run == null || listener == null) {
                throw new AbortException(Messages.ClusterStep_NoContext(functionName()));
            }
            PrintStream log = listener.getLogger();
            status = "resolving the cluster";
            ClusterAccess access = Connections.cluster(run, cluster, serverUrl, credentialsId, namespace);
            try (KubernetesClient client = KubernetesClients.connect(access)) {
                String ns = client.getNamespace();
                if (ns == null || ns.isBlank()) {
                    throw new AbortException(Messages.ClusterStep_NamespaceMissing());
                }
                RolloutTarget target = new RolloutTarget(ns, service);
                Clock clock = Clock.systemUTC();
                String name = functionName();
                RolloutEngine engine = new RolloutEngine(new FabricCluster(client, clock, LeaseLock.DEFAULT_DURATION), clock,
                        (t, e) -> log.println(Messages.ClusterStep_Event(name, e.type(), e.message())), EngineSettings.DEFAULTS);
                perform(engine, target, run, log);
            }
            status = "finished";
            complete(null);
        } catch (AbortException e) {
            status = "failed";
            complete(e);
        } catch (RolloutException | ClusterConfigurationException e) {
            // Expected failures carry messages meant for the Pipeline author, free of secrets: no stack trace.
            status = "failed";
            complete(new AbortException(failed(e.getMessage())));
        } catch (KubernetesClientException e) {
            // Only the status code: a response body may echo a request.
            status = "failed";
            complete(new AbortException(failed(KubernetesClients.describe(e))));
        } catch (InterruptedException e) {
            status = "interrupted";
            complete(e);
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            status = "failed";
            complete(e);
        }
    }
}
