package io.jenkins.plugins.bluegreen.kubernetes;

import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.call;
import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes, finds and deletes the objects a colour's bundle holds besides its Deployment and colour Service, always by
 * {@link ColorBundle#BUNDLE_LABEL} and the colour label together: nothing the plugin did not copy for that colour of
 * that service is ever listed, changed or deleted.
 */
final class BundleObjects {

    private static final int MAX_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String service;

    BundleObjects(KubernetesClient client, String namespace, String service) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
    }

    /** Creates or replaces each object (in the order given); a re-apply of the same objects changes nothing. */
    void apply(List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            upsert(o);
        }
    }

    private void upsert(HasMetadata desired) {
        String what = desired.getKind() + " '" + desired.getMetadata().getName() + "'";
        Resource<HasMetadata> resource = client.resource(desired).inNamespace(namespace);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HasMetadata existing = call("read " + what, resource::get);
            try {
                if (existing == null) {
                    resource.create();
                    return;
                }
                HasMetadata replacement = client.getKubernetesSerialization().clone(desired);
                replacement.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                if (replacement instanceof Service s && existing instanceof Service live && s.getSpec() != null && live.getSpec() != null) {
                    // immutable once assigned
                    s.getSpec().setClusterIP(live.getSpec().getClusterIP());
                    s.getSpec().setClusterIPs(live.getSpec().getClusterIPs());
                }
                client.resource(replacement).inNamespace(namespace).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw cluster("write " + what, e);
                }
            }
        }
    }

    /** The colour's copied objects as they are in the cluster, in apply order. */
    List<HasMetadata> list(Color color) {
        List<HasMetadata> out = new ArrayList<>();
        Map<String, String> labels = labels(color);
        String what = "list the " + color + " objects of " + service;
        out.addAll(call(what, () -> client.serviceAccounts().inNamespace(namespace).withLabels(labels).list().getItems()));
        out.addAll(call(what, () -> client.configMaps().inNamespace(namespace).withLabels(labels).list().getItems()));
        out.addAll(call(what, () -> client.secrets().inNamespace(namespace).withLabels(labels).list().getItems()));
        out.addAll(call(what, () -> client.services().inNamespace(namespace).withLabels(labels).list().getItems()));
        out.addAll(call(what, () -> client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabels(labels).list()
                .getItems()));
        out.addAll(autoscalers(color));
        return out;
    }

    List<HorizontalPodAutoscaler> autoscalers(Color color) {
        return call("list the " + color + " autoscalers of " + service, () -> client.autoscaling().v2().horizontalPodAutoscalers()
                .inNamespace(namespace).withLabels(labels(color)).list().getItems());
    }

    /** The autoscaler of that name, or null. */
    HorizontalPodAutoscaler autoscaler(String name) {
        return call("read HorizontalPodAutoscaler '" + name + "'",
                () -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(name).get());
    }

    /** Deletes the colour's autoscalers: one would scale a colour that is being stopped back up. */
    void deleteAutoscalers(Color color) {
        for (HorizontalPodAutoscaler hpa : autoscalers(color)) {
            delete(hpa);
        }
    }

    /**
     * Deletes the colour's copied objects that {@code keep} (the new bundle) lacks: left by an earlier bundle of a colour
     * that is about to be deployed again, they would otherwise act on it (an autoscaler, a budget, a Service selecting
     * its pods). Only ever called for the idle colour.
     */
    void deleteLeftovers(Color color, List<HasMetadata> keep) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        keep.forEach(o -> kept.add(o.getKind() + "/" + o.getMetadata().getName()));
        for (HasMetadata o : list(color)) {
            if (!kept.contains(o.getKind() + "/" + o.getMetadata().getName())) {
                delete(o);
            }
        }
    }

    /** Deletes every object copied for the colour, and returns {@code Kind/name} of each. */
    List<String> deleteAll(Color color) {
        List<String> deleted = new ArrayList<>();
        List<HasMetadata> found = list(color);
        // the reverse of apply order: what scales or selects the pods goes first
        for (int i = found.size() - 1; i >= 0; i--) {
            HasMetadata o = found.get(i);
            delete(o);
            deleted.add(o.getKind() + "/" + o.getMetadata().getName());
        }
        return deleted;
    }

    private void delete(HasMetadata o) {
        String what = "delete " + o.getKind() + " '" + o.getMetadata().getName() + "'";
        try {
            client.resource(o).inNamespace(namespace).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw cluster(what, e);
            }
        }
    }

    private Map<String, String> labels(Color color) {
        return Map.of(ColorBundle.BUNDLE_LABEL, service, Workloads.COLOR_LABEL, color.label());
    }
}
