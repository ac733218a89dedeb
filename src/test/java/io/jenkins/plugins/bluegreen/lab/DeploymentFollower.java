package io.jenkins.plugins.bluegreen.lab;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.kubernetes.DeploymentEvents;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import java.net.URI;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * TEST CODE: makes each colour's app in the Jenkins lab what its Deployment in the mock API server says, so that a
 * Pipeline changes the lab only through Kubernetes objects, as it would change a cluster. It watches the namespace's
 * Deployments (a fabric8 informer) and for {@code <service>-<color>}:
 * <ul>
 *   <li>with replicas wanted, the app runs the image's version and its faults ({@link ImageBehaviour}) at once, before
 *       the pods are ready, so that a smoke test right after readiness sees the new version;</li>
 *   <li>with ready pods, it gets its share of the load, and a {@code dbleak} image holds its connections;</li>
 *   <li>scaled to zero or absent, it gets no load and has no faults.</li>
 * </ul>
 * The service proxy finds the app through the pods the simulated control plane writes, not through this class.
 * Changes are applied one at a time on a thread of their own (filling a connection leak takes a moment), each logged.
 */
final class DeploymentFollower implements AutoCloseable {

    /** One service of the lab: its apps and the load that follows its router. */
    record Service(String name, Map<Color, LabApp> apps, LoadGenerator load) {
    }

    /** What a colour's Deployment says, as far as the lab cares. */
    private record Wanted(ImageBehaviour behaviour, boolean running, boolean ready, int readyReplicas, int replicas) {
        static final Wanted NOTHING = new Wanted(ImageBehaviour.NONE, false, false, 0, 0);
    }

    private final String namespace;
    private final Map<String, Service> services = new HashMap<>();
    private final PostgresProcess postgres;
    private final Consumer<String> log;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(LabApp.daemon("lab-follower"));
    private final Map<String, Wanted> applied = new HashMap<>(); // worker thread only
    private final SharedIndexInformer<Deployment> informer;

    DeploymentFollower(KubernetesClient client, String namespace, List<Service> services, PostgresProcess postgres,
            Consumer<String> log) {
        this.namespace = namespace;
        this.postgres = postgres;
        this.log = log;
        for (Service s : services) {
            this.services.put(s.name(), s);
        }
        this.informer = client.apps().deployments().inNamespace(namespace).inform(DeploymentEvents.byName(this::submit));
    }

    private void submit(String deployment) {
        if (!worker.isShutdown()) {
            worker.execute(() -> follow(deployment));
        }
    }

    private void follow(String deployment) {
        for (Service s : services.values()) {
            for (Color c : Color.values()) {
                if (deployment.equals(s.name() + "-" + c.label())) {
                    Wanted w = wanted(informer.getStore().getByKey(namespace + "/" + deployment));
                    if (!w.equals(applied.get(deployment))) {
                        apply(s, c, w, applied.get(deployment));
                        applied.put(deployment, w);
                    }
                }
            }
        }
    }

    private static Wanted wanted(Deployment d) {
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            return Wanted.NOTHING;
        }
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
        ImageBehaviour behaviour = containers.isEmpty() ? ImageBehaviour.NONE : ImageBehaviour.of(containers.get(0).getImage());
        return new Wanted(replicas > 0 ? behaviour : behaviour.healed(), replicas > 0, replicas > 0 && ready > 0, ready, replicas);
    }

    private void apply(Service s, Color c, Wanted w, Wanted before) {
        LabApp app = s.apps().get(c);
        if (before == null || !before.behaviour().equals(w.behaviour())) {
            app.setVersion(w.behaviour().version());
            app.setErrorRate(w.behaviour().errorRate());
            app.setAddedLatency(w.behaviour().addedLatency());
        }
        boolean leak = w.ready() && w.behaviour().connectionShare() > 0;
        boolean leaking = before != null && before.ready() && before.behaviour().connectionShare() > 0
                && before.behaviour().equals(w.behaviour());
        String held = "";
        try {
            if (leak && !leaking) {
                held = " (" + holdUntil(app, w.behaviour().connectionShare()) + " connections held)";
            } else if (!leak && app.heldConnections() > 0) {
                app.holdConnections(0);
                held = " (held connections released)";
            }
        } catch (SQLException | RuntimeException e) {
            held = ", could not hold connections: " + e.getMessage();
        }
        Map<Color, URI> ready = new EnumMap<>(Color.class);
        for (Color colour : Color.values()) {
            Wanted other = colour == c ? w : applied.getOrDefault(s.name() + "-" + colour.label(), Wanted.NOTHING);
            if (other.ready()) {
                ready.put(colour, s.apps().get(colour).url());
            }
        }
        s.load().sendOnlyTo(ready);
        log.accept(s.name() + "-" + c.label() + ": " + (w.running()
                ? w.behaviour().version() + ", " + w.readyReplicas() + "/" + w.replicas() + " ready: " + w.behaviour().describe()
                : "no pods: no traffic, no faults") + held);
    }

    /** Holds connections until PostgreSQL has about {@code share} of max_connections in use (counted by itself). */
    private int holdUntil(LabApp app, double share) throws SQLException {
        int wanted = (int) Math.ceil(share * postgres.maxConnections());
        int extra = wanted - postgres.clientBackends();
        if (extra > 0) {
            app.holdConnections(extra);
        }
        return Math.max(0, extra);
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
