package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a Deployment as read from the API server says: its replicas, their readiness, its image and labels. */
final class DeploymentReadings {

    private DeploymentReadings() {
    }

    /** {@code spec.replicas}, 1 when unset (the API server's default). */
    static int desiredReplicas(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /**
     * Ready replicas of the current pod template: 0 while the controller has not observed the current generation
     * or has not yet updated all desired replicas; pods of older templates (status.replicas - updatedReplicas) are
     * not counted even when they are ready. Never more than desired.
     */
    static int readyReplicas(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || !observed(d)) {
            return 0;
        }
        int desired = desiredReplicas(d);
        int updated = nz(s.getUpdatedReplicas());
        if (updated < desired) {
            return 0;
        }
        int old = Math.max(0, nz(s.getReplicas()) - updated);
        return Math.max(0, Math.min(desired, nz(s.getReadyReplicas()) - old));
    }

    /** All desired replicas of the current generation are ready (and, for zero, no pod is left). */
    static boolean isReady(Deployment d) {
        if (!observed(d)) {
            return false;
        }
        int desired = desiredReplicas(d);
        if (desired == 0) {
            return d.getStatus() == null || nz(d.getStatus().getReplicas()) == 0;
        }
        return readyReplicas(d) >= desired;
    }

    private static boolean observed(Deployment d) {
        Long generation = d.getMetadata() == null ? null : d.getMetadata().getGeneration();
        Long observedGeneration = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
        if (generation == null) {
            return d.getStatus() != null;
        }
        return observedGeneration != null && observedGeneration >= generation;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    static String firstImage(Deployment d) {
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
            return null;
        }
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        return containers == null || containers.isEmpty() ? null : containers.get(0).getImage();
    }

    static String annotation(Deployment d, String key) {
        Map<String, String> a = d.getMetadata() == null ? null : d.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    static Map<String, String> labels(Deployment d) {
        return d.getMetadata() == null || d.getMetadata().getLabels() == null ? Map.of() : d.getMetadata().getLabels();
    }

    static Map<String, String> selector(Deployment d) {
        LabelSelector s = d.getSpec() == null ? null : d.getSpec().getSelector();
        Map<String, String> m = new TreeMap<>(s == null || s.getMatchLabels() == null ? Map.of() : s.getMatchLabels());
        // matchExpressions take part in equality too
        if (s != null && s.getMatchExpressions() != null && !s.getMatchExpressions().isEmpty()) {
            m.put("\u0000expressions", String.valueOf(s.getMatchExpressions()));
        }
        return m;
    }
}
