package io.jenkins.plugins.bluegreen.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.kubernetes.ConfigMapRecordStore;
import io.jenkins.plugins.bluegreen.traffic.IstioVirtualServiceRouter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * TEST CODE: what a rollout leaves in its namespace, as text that two namespaces can be compared by exactly: every
 * Deployment (replicas, template, labels, annotations), the colour Services and the bundle objects (ConfigMaps,
 * Secrets, ServiceAccounts, autoscalers, disruption budgets), the router's VirtualService, the Lease, and the rollout
 * record with its history. What differs between two equal outcomes is left out or masked: the namespace's name, UIDs,
 * resourceVersions, generations, timestamps and measured milliseconds, the status the simulated controllers write,
 * the Lease's count of acquisitions, the history's gate evaluations (whose number depends on how the rounds fell in
 * the windows), and a history event that repeats an earlier one word for word (an operation begun again after a kill
 * says so twice). The Pods, ReplicaSets and Events of the simulated control plane are not the rollout's.
 */
final class RolloutEndState {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final Pattern MILLIS = Pattern.compile("\\d+ ms\\b");
    private static final List<String> VOLATILE_METADATA = List.of("resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "namespace", "selfLink");
    /** History events that record measurements rather than what happened: their number depends on timing. */
    private static final List<String> MEASUREMENTS = List.of("gate");

    private RolloutEndState() {}

    /** Kind/name to the object's normalized JSON, sorted. */
    static Map<String, String> of(KubernetesClient client, String namespace) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.services().inNamespace(namespace).list().getItems());
        all.addAll(client.configMaps().inNamespace(namespace).list().getItems());
        all.addAll(client.secrets().inNamespace(namespace).list().getItems());
        all.addAll(client.serviceAccounts().inNamespace(namespace).list().getItems());
        all.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
        all.addAll(client.leases().inNamespace(namespace).list().getItems());
        all.addAll(client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(IstioVirtualServiceRouter.GROUP)
                .withVersion(IstioVirtualServiceRouter.VERSION).withPlural(IstioVirtualServiceRouter.PLURAL).withKind("VirtualService")
                .withNamespaced(true).build()).inNamespace(namespace).list().getItems());
        Map<String, String> state = new TreeMap<>();
        for (HasMetadata o : all) {
            ObjectNode tree = tree(client.getKubernetesSerialization().asJson(o));
            tree.remove("status");
            ObjectNode meta = (ObjectNode) tree.get("metadata");
            meta.remove(VOLATILE_METADATA);
            meta.path("ownerReferences").forEach(ref -> ((ObjectNode) ref).remove("uid"));
            if ("Lease".equals(o.getKind())) {
                // leaseTransitions counts acquisitions, and an operation repeated after a kill takes the lease again
                ((ObjectNode) tree.get("spec")).remove(List.of("acquireTime", "renewTime", "leaseTransitions"));
            }
            JsonNode record = tree.path("data").path(ConfigMapRecordStore.KEY);
            if (record.isTextual()) {
                ((ObjectNode) tree.get("data")).set(ConfigMapRecordStore.KEY, normalizedRecord(record.asText()));
            }
            String kind = o instanceof Deployment ? "Deployment" : o.getKind();
            state.put(kind + "/" + o.getMetadata().getName(), mask(tree.toPrettyString(), namespace));
        }
        return state;
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** The record without its measurements: the phase, revisions, weights, owner, rollback and what happened. */
    private static JsonNode normalizedRecord(String text) {
        ObjectNode record = tree(text);
        ArrayNode history = (ArrayNode) record.get("history");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Iterator<JsonNode> it = history.iterator(); it.hasNext();) {
            JsonNode event = it.next();
            ObjectNode what = ((ObjectNode) event).deepCopy();
            what.remove("at");
            if (MEASUREMENTS.contains(event.path("type").asText()) || !seen.add(what.toString())) {
                it.remove();
            }
        }
        return record;
    }

    private static String mask(String text, String namespace) {
        String s = text.replace(namespace, "<namespace>");
        s = INSTANT.matcher(s).replaceAll("<instant>");
        return MILLIS.matcher(s).replaceAll("<n> ms");
    }

    /** The differences of two states, one line per object that differs, for a failure message. */
    static String diff(Map<String, String> expected, Map<String, String> actual) {
        StringBuilder b = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (e == null || !e.equals(a)) {
                b.append("--- ").append(k).append("\nexpected: ").append(e).append("\nactual:   ").append(a).append('\n');
            }
        }
        return b.toString();
    }
}
