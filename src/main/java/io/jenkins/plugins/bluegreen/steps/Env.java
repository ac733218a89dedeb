package io.jenkins.plugins.bluegreen.steps;

import hudson.AbortException;
import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.kubernetes.SharedClients;
import java.io.PrintStream;
import java.time.Clock;
import jenkins.util.Timer;

/** What a piece of a step's work runs with: the build, its log, and the cluster. Never saved. */
final class Env implements AutoCloseable {
    final Run<?, ?> run;
    final PrintStream log;
    final KubernetesClient client;
    final RolloutTarget target;
    final RolloutEngine engine;
    final Clock clock;
    private final SharedClients.Handle handle;

    Env(Run<?, ?> run, PrintStream log, SharedClients.Handle handle, RolloutTarget target, RolloutEngine engine, Clock clock) {
        this.run = run;
        this.log = log;
        this.handle = handle;
        this.client = handle.client();
        this.target = target;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * The shared client of {@code access} and an engine on it whose events go to the build log.
     *
     * @throws AbortException when neither the step nor the cluster names a namespace
     */
    static Env connect(Run<?, ?> run, PrintStream log, ClusterAccess access, String service, String step) throws AbortException {
        SharedClients.Handle handle = PluginClients.kubernetes().acquire(access);
        KubernetesClient client = handle.client();
        String ns = client.getNamespace();
        if (ns == null || ns.isBlank()) {
            handle.close();
            throw new AbortException(Messages.ClusterStep_NamespaceMissing());
        }
        Clock clock = Clock.systemUTC();
        // Lease renewals share the controller's timer with the steps' own work: no thread per rollout.
        RolloutEngine engine = new RolloutEngine(new FabricCluster(client, clock, LeaseLock.DEFAULT_DURATION, Timer.get()), clock,
                (t, e) -> {
                    if (e.gate() == null) { // gate evaluations are written a round per line by the analysis (RolloutPlanExecution)
                        log.println(Messages.ClusterStep_Event(step, e.type(), e.message()));
                    }
                }, EngineSettings.DEFAULTS);
        return new Env(run, log, handle, new RolloutTarget(ns, service), engine, clock);
    }

    /** Who acts on the rollout: the build, as the record and the lock show it. */
    String owner() {
        return run.getExternalizableId();
    }

    /** Lets go of the shared client: it stays open for the next piece of work (see {@link PluginClients}). */
    @Override
    public void close() {
        handle.close();
    }
}
