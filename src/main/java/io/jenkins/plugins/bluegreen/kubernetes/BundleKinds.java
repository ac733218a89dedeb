package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a colour's bundle may hold besides its one Deployment, and why anything else is refused: objects that route
 * traffic between the colours belong to the router the plugin drives, and cluster-scoped objects are shared by every
 * colour of every service, so neither can be copied per colour.
 */
final class BundleKinds {

    /** The kinds copied per colour, with the one apiVersion each is accepted in, in the order they are applied. */
    static final Map<String, String> ALLOWED = orderedAllowed();

    private static final Set<String> ROUTING = Set.of("VirtualService", "DestinationRule", "Gateway", "HTTPRoute",
            "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute", "Ingress", "IngressRoute", "TrafficSplit");

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "StorageClass",
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
            "GatewayClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
            "CSIDriver", "VolumeSnapshotClass", "ClusterIssuer");

    private BundleKinds() {
    }

    private static Map<String, String> orderedAllowed() {
        // a LinkedHashMap in apply order: what pods mount and run as first, then what selects or scales them
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("ServiceAccount", "v1");
        m.put("ConfigMap", "v1");
        m.put("Secret", "v1");
        m.put("Service", "v1");
        m.put("PodDisruptionBudget", "policy/v1");
        m.put("HorizontalPodAutoscaler", "autoscaling/v2");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Checks one object of a manifest other than the Deployment.
     *
     * @throws RolloutException of kind INVALID_INPUT naming the kind and why it cannot be part of a colour
     */
    static void check(HasMetadata o) {
        String kind = o.getKind();
        String apiVersion = o.getApiVersion() == null ? "" : o.getApiVersion();
        String article = "AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a "; // an Ingress, a Namespace
        String what = "the manifest holds " + article + kind + (apiVersion.isEmpty() ? "" : " (" + apiVersion + ")") + named(o);
        if (ROUTING.contains(kind)) {
            throw invalid(what + ": objects that route traffic between the colours belong to the router that the plugin"
                    + " drives (router, routerName); keep it out of the colour's manifest");
        }
        if (CLUSTER_SCOPED.contains(kind)) {
            throw invalid(what + ", which is cluster-scoped: a colour holds only objects of the service's namespace;"
                    + " apply it once, outside the rollout");
        }
        String wanted = ALLOWED.get(kind);
        if (wanted == null) {
            throw invalid(what + "; a colour holds one apps/v1 Deployment and any of " + describeAllowed());
        }
        if (!wanted.equals(apiVersion)) {
            throw invalid("the " + kind + named(o) + " has apiVersion '" + apiVersion + "'; only " + wanted + " is supported");
        }
        String name = o.getMetadata() == null ? null : o.getMetadata().getName();
        if (name == null || name.isBlank()) {
            throw invalid("a " + kind + " of the manifest has no metadata.name");
        }
    }

    /** E.g. "ServiceAccount (v1), ConfigMap (v1), ...". */
    static String describeAllowed() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : ALLOWED.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        return b.toString();
    }

    /** Apply order of a kind (its place in {@link #ALLOWED}). */
    static int order(String kind) {
        return List.copyOf(ALLOWED.keySet()).indexOf(kind);
    }

    private static String named(HasMetadata o) {
        String name = o.getMetadata() == null ? null : o.getMetadata().getName();
        return name == null || name.isBlank() ? "" : " '" + name + "'";
    }

    private static RolloutException invalid(String message) {
        return new RolloutException(RolloutException.Kind.INVALID_INPUT, message);
    }
}
