package io.jenkins.plugins.bluegreen.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A router whose object holds weighted lists of destinations (Istio VirtualService {@code http[].route[]}, Gateway API
 * HTTPRoute {@code rules[].backendRefs[]}). The object is handled as untyped JSON ({@link GenericKubernetesResource})
 * so that it works without the provider's model classes, on fabric8 6.x and 7.x alike, and so that a PUT writes back
 * every field exactly as read, including fields newer than our code.
 *
 * <p>Every route (rule) with a destination of either colour is managed: it gets both colours (the missing one is
 * added with weight 0) and the same weights. Destinations other than the colours may stay in a managed route only with
 * weight 0, otherwise the colours would not carry all of its traffic. Weights are read the way the provider applies
 * them (see {@link #effectiveWeight}) and normalised to whole percent, rounding half up.
 */
abstract class WeightedRouteRouter implements TrafficRouter {

    protected final KubernetesClient client;
    protected final String namespace;
    protected final RouterSpec spec;

    WeightedRouteRouter(KubernetesClient client, String namespace, RouterSpec spec, RouterSpec.Kind kind) {
        this.client = Objects.requireNonNull(client, "client");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (namespace == null || namespace.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a namespace is required for the traffic router");
        }
        if (spec.kind() != kind) {
            throw new IllegalArgumentException("router spec of kind " + spec.kind() + " given to the " + kind + " router");
        }
        this.namespace = namespace;
    }

    /** One route (rule) that sends traffic to at least one colour. */
    static final class Split {
        final String where;
        /** The route's destination list, as in the object: changes to it are written back. */
        final List<Object> entries;
        Map<String, Object> blue;
        Map<String, Object> green;

        Split(String where, List<Object> entries) {
            this.where = where;
            this.entries = entries;
        }

        Map<String, Object> entry(Color color) {
            return color == Color.BLUE ? blue : green;
        }

        void set(Color color, Map<String, Object> entry) {
            if (entry(color) != null) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                        where + " lists the " + color + " destination twice; keep one entry per colour");
            }
            if (color == Color.BLUE) {
                blue = entry;
            } else {
                green = entry;
            }
        }
    }

    /** The provider's kind, as messages name it: VirtualService, HTTPRoute. */
    abstract String kind();

    abstract ResourceDefinitionContext resource();

    /** Appended to the NOT_FOUND message, e.g. which API must be served. */
    abstract String notFoundHint();

    /** Every route (rule) with a destination of either colour, in order, with the colour entries assigned. */
    abstract List<Split> splits(GenericKubernetesResource object);

    /** What a managed route looks like, for messages: "destination hosts 'a' and 'b'". */
    abstract String expected();

    /** What the object routes to instead, for messages. */
    abstract String found(GenericKubernetesResource object);

    /** How messages name an entry of a destination list. */
    abstract String label(Object entry);

    /**
     * The weight the provider gives {@code entry} in a list of {@code size} entries; only the ratio to the other
     * entries' weights counts.
     */
    abstract long effectiveWeight(Object entry, int size, String where);

    /** A new destination for {@code missing}, modelled on the other colour's entry (port copied), weight 0. */
    abstract Map<String, Object> newEntry(Color missing, Map<String, Object> present);

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public void verify() {
        weights(require(), RolloutException.Kind.INVALID_INPUT);
    }

    /**
     * The weights of the managed routes. A route whose weights do not sum to 100 is read as the provider applies it:
     * each colour's share of the route's total effective weight.
     *
     * @throws RolloutException TRAFFIC when the routes disagree or one sends no traffic at all
     */
    @Override
    public Weights read() {
        return weights(require(), RolloutException.Kind.TRAFFIC);
    }

    @Override
    public Weights write(Weights weights) {
        Objects.requireNonNull(weights, "weights");
        RouterObjects.update(what(), notFoundHint(), this::get, object -> apply(object, weights),
                object -> objects().resource(object).update());
        Weights now = read();
        if (!now.equals(weights)) {
            throw new RolloutException(RolloutException.Kind.TRAFFIC, what() + " holds " + now + " after writing " + weights
                    + "; something else changed it (a GitOps controller such as Argo CD or Flux, an operator, or a person): "
                    + "stop it from managing these weights while the rollout runs");
        }
        return now;
    }

    /** "the VirtualService 'shop' in namespace 'prod'". */
    final String what() {
        return RouterObjects.describe(kind(), spec.name(), namespace);
    }

    final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> objects() {
        return client.genericKubernetesResources(resource()).inNamespace(namespace);
    }

    final GenericKubernetesResource get() {
        return objects().withName(spec.name()).get();
    }

    final GenericKubernetesResource require() {
        return RouterObjects.require(what(), notFoundHint(), this::get);
    }

    /** The managed routes, after checking that the colours carry all their traffic. */
    private List<Split> managed(GenericKubernetesResource object) {
        List<Split> splits = splits(object);
        if (splits.isEmpty()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    RouterObjects.capitalize(what()) + " has no route to the colours: expected " + expected() + "; " + found(object));
        }
        for (Split s : splits) {
            for (Object e : s.entries) {
                if (e != s.blue && e != s.green && effectiveWeight(e, s.entries.size(), s.where) > 0) {
                    throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what()) + ": "
                            + s.where + " also sends traffic to " + label(e) + ", which is neither colour (expected "
                            + expected() + "); give it weight 0 or move it to a route of its own");
                }
            }
        }
        return splits;
    }

    private Weights weights(GenericKubernetesResource object, RolloutException.Kind inconsistency) {
        List<Weights> all = new ArrayList<>();
        List<String> each = new ArrayList<>();
        for (Split s : managed(object)) {
            int size = s.entries.size();
            long blue = s.blue == null ? 0 : effectiveWeight(s.blue, size, s.where);
            long green = s.green == null ? 0 : effectiveWeight(s.green, size, s.where);
            if (blue + green == 0) {
                throw new RolloutException(inconsistency, RouterObjects.capitalize(what()) + ": " + s.where
                        + " gives weight 0 to every destination, so it sends no traffic at all; expected " + expected()
                        + " with weights summing to more than 0");
            }
            Weights w = Weights.of(Color.BLUE, percent(blue, blue + green));
            all.add(w);
            each.add(s.where + " " + w);
        }
        if (all.stream().distinct().count() > 1) {
            throw new RolloutException(inconsistency, RouterObjects.capitalize(what()) + " splits traffic differently in its routes to the colours ("
                    + String.join("; ", each) + "); this router gives all of them the same weights, so make them agree first, "
                    + "or send testers to the new colour through another host or subset");
        }
        return all.get(0);
    }

    /** part/total in whole percent, rounding half up. */
    static int percent(long part, long total) {
        return (int) ((200 * part + total) / (2 * total));
    }

    /** Adds the missing colour to each managed route and sets the weights; false when nothing changes. */
    private boolean apply(GenericKubernetesResource object, Weights weights) {
        boolean changed = false;
        for (Split s : managed(object)) {
            for (Color c : Color.values()) {
                if (s.entry(c) == null) {
                    Map<String, Object> added = newEntry(c, s.entry(c.other()));
                    s.entries.add(added);
                    s.set(c, added);
                    changed = true;
                }
                Map<String, Object> entry = s.entry(c);
                Object old = entry.get("weight");
                if (!(old instanceof Number n) || n.doubleValue() != weights.of(c)) {
                    entry.put("weight", weights.of(c));
                    changed = true;
                }
            }
        }
        return changed;
    }

    // --- untyped JSON helpers

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : null;
    }

    static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    /** The route's name for messages: "spec.http[1] 'canary'" or "spec.http[1]". */
    static String where(String path, int index, Map<String, Object> route) {
        String name = string(route.get("name"));
        return path + "[" + index + "]" + (name == null ? "" : " '" + name + "'");
    }

    /** An explicit weight: a whole number from 0; null when absent. */
    static Long explicitWeight(Object entry, String where) {
        Map<String, Object> e = map(entry);
        Object w = e == null ? null : e.get("weight");
        if (w == null) {
            return null;
        }
        if (!(w instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    where + " has weight '" + w + "', expected a whole number from 0");
        }
        return n.longValue();
    }

    /** A copy of a JSON value deep enough that the copy can be changed on its own. */
    static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(copy(v)));
            return c;
        }
        return o;
    }
}
