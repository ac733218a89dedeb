package io.jenkins.plugins.bluegreen.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves traffic by the backend weights of a Gateway API HTTPRoute ({@code gateway.networking.k8s.io/v1}). Handled as
 * untyped JSON rather than fabric8's typed HTTPRoute model, which only kubernetes-client 7.x ships.
 *
 * <p>The colours are the {@code spec.rules[].backendRefs[]} that name the Services {@link RouterSpec#blueBackend()}
 * and {@link RouterSpec#greenBackend()} (kind Service or absent, core group, same namespace as the route).
 *
 * <p>Weights are read as the Gateway API defines them: a missing weight is 1, and each backend gets weight / sum of
 * weights; a rule whose weights are all 0 sends no traffic (the gateway answers with an error).
 */
public final class GatewayHttpRouteRouter extends WeightedRouteRouter {

    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String VERSION = "v1";
    public static final String PLURAL = "httproutes";

    public GatewayHttpRouteRouter(KubernetesClient client, String namespace, RouterSpec spec) {
        super(client, namespace, spec, RouterSpec.Kind.GATEWAY_HTTP_ROUTE);
    }

    @Override
    String kind() {
        return "HTTPRoute";
    }

    @Override
    ResourceDefinitionContext resource() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(VERSION)
                .withKind("HTTPRoute")
                .withPlural(PLURAL)
                .withNamespaced(true)
                .build();
    }

    @Override
    String notFoundHint() {
        return " (are the Gateway API CRDs installed, serving " + GROUP + "/" + VERSION
                + "? check the name and namespace of the HTTPRoute)";
    }

    @Override
    List<Split> splits(GenericKubernetesResource object) {
        List<Split> splits = new ArrayList<>();
        List<Object> rules = rules(object);
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = map(rules.get(i));
            List<Object> refs = rule == null ? null : list(rule.get("backendRefs"));
            if (refs == null) {
                continue; // e.g. a redirect rule
            }
            Split s = new Split(where("spec.rules", i, rule), refs);
            for (Object ref : refs) {
                Color c = colorOf(map(ref));
                if (c != null) {
                    s.set(c, map(ref));
                }
            }
            if (s.blue != null || s.green != null) {
                splits.add(s);
            }
        }
        return splits;
    }

    private Color colorOf(Map<String, Object> ref) {
        if (ref == null || !isService(ref)) {
            return null;
        }
        String ns = string(ref.get("namespace"));
        if (ns != null && !ns.equals(namespace)) {
            return null;
        }
        String name = string(ref.get("name"));
        for (Color c : Color.values()) {
            if (spec.backend(c).equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static boolean isService(Map<String, Object> ref) {
        Object kind = ref.get("kind");
        Object group = ref.get("group");
        return (kind == null || "Service".equals(kind)) && (group == null || "".equals(group));
    }

    @Override
    String expected() {
        return "a rule with backendRefs to the Services '" + spec.blueBackend() + "' and/or '" + spec.greenBackend()
                + "' in namespace '" + namespace + "'";
    }

    @Override
    String found(GenericKubernetesResource object) {
        Set<String> backends = new LinkedHashSet<>();
        for (Object r : rules(object)) {
            Map<String, Object> rule = map(r);
            List<Object> refs = rule == null ? null : list(rule.get("backendRefs"));
            if (refs != null) {
                refs.forEach(ref -> backends.add(label(ref)));
            }
        }
        return backends.isEmpty() ? "it has no rule with backendRefs" : "its rules go to " + String.join(", ", backends);
    }

    @Override
    String label(Object entry) {
        Map<String, Object> ref = map(entry);
        if (ref == null) {
            return "an empty backendRef";
        }
        Object kind = ref.get("kind") == null ? "Service" : ref.get("kind");
        String ns = string(ref.get("namespace"));
        return kind + " '" + ref.get("name") + "'" + (ns == null ? "" : " in namespace '" + ns + "'");
    }

    @Override
    long effectiveWeight(Object entry, int size, String where) {
        Long w = explicitWeight(entry, where + " backendRef " + label(entry));
        return w == null ? 1 : w;
    }

    @Override
    Map<String, Object> newEntry(Color missing, Map<String, Object> present) {
        Map<String, Object> ref = new LinkedHashMap<>();
        for (String key : new String[] {"group", "kind"}) {
            if (present.get(key) != null) {
                ref.put(key, present.get(key));
            }
        }
        ref.put("name", spec.backend(missing));
        if (present.get("namespace") != null) {
            ref.put("namespace", present.get("namespace"));
        }
        if (present.get("port") != null) {
            ref.put("port", copy(present.get("port")));
        }
        ref.put("weight", 0);
        return ref;
    }

    private List<Object> rules(GenericKubernetesResource object) {
        Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
        List<Object> rules = spec == null ? null : list(spec.get("rules"));
        if (rules == null) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what())
                    + " has no spec.rules: expected " + expected());
        }
        return rules;
    }
}
