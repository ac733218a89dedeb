package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** TEST CODE: an informer handler that hands on the name of every Deployment added, changed or deleted, as a controller queues it. */
public final class DeploymentEvents {

    private DeploymentEvents() {}

    public static ResourceEventHandler<Deployment> byName(Consumer<String> queue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                queue.accept(d.getMetadata().getName());
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                queue.accept(after.getMetadata().getName());
            }

            @Override
            public void onDelete(Deployment d, boolean finalStateUnknown) {
                queue.accept(d.getMetadata().getName());
            }
        };
    }
}
