package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * <b>TEST CODE: a simulation, not Kubernetes.</b> The cheapest control plane the engine accepts, for benchmarks with
 * hundreds of namespaces: one informer over the Deployments of all namespaces, and one thread that, a short delay after
 * each change, writes a status in which every desired replica of the current generation is ready. No ReplicaSets, pods
 * or events (the lab's {@code SimulatedControlPlane} plays those, with one informer and thread per namespace, which
 * at 500 namespaces would cost more than the engine being measured).
 */
final class ReadyControlPlane implements AutoCloseable {

    private final KubernetesClient client;
    private final long delayMillis;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-ready-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Deployment> informer;
    private volatile boolean closed;

    ReadyControlPlane(KubernetesClient client, Duration delay) {
        this.client = client;
        this.delayMillis = delay.toMillis();
        this.informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                queue(d, delayMillis);
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                queue(after, delayMillis);
            }

            @Override
            public void onDelete(Deployment d, boolean finalStateUnknown) {
            }
        }, 30_000);
    }

    private void queue(Deployment d, long delay) {
        String ns = d.getMetadata().getNamespace();
        String name = d.getMetadata().getName();
        if (!closed && queued.add(ns + "/" + name)) {
            worker.schedule(() -> reconcile(ns, name), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile(String ns, String name) {
        queued.remove(ns + "/" + name);
        try {
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            if (d == null) {
                return;
            }
            DeploymentStatus ready = readyStatus(d);
            if (!same(ready, d.getStatus())) {
                // a merge patch of the status subresource, as the lab's control plane writes it
                client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder(d).withStatus(ready).build()).patchStatus();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                queued.add(ns + "/" + name);
                worker.schedule(() -> reconcile(ns, name), 50, TimeUnit.MILLISECONDS); // e.g. a conflict: try again
            }
        }
    }

    private static boolean same(DeploymentStatus a, DeploymentStatus b) {
        return b != null && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getReplicas(), b.getReplicas()) && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas());
    }

    private static DeploymentStatus readyStatus(Deployment d) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 1L);
        return new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(desired)
                .withUpdatedReplicas(desired)
                .withReadyReplicas(desired)
                .withAvailableReplicas(desired)
                .build();
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
        worker.shutdownNow();
    }
}
