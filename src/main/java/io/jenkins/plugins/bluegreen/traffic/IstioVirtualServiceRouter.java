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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Moves traffic by the weights of an Istio VirtualService ({@code networking.istio.io}), handled as untyped JSON so
 * that the plugin needs no Istio model classes.
 *
 * <p>The colours are found in {@code spec.http[].route[].destination}: by host (a Service per colour; short names and
 * {@code <name>.<namespace>.svc.cluster.local} are the same host, as Istio resolves short names in the
 * VirtualService's namespace), or, when {@link RouterSpec#host()} is set, by subset of that host. Only HTTP routes are
 * managed; {@code tcp} and {@code tls} routes and every other field are written back as read.
 *
 * <p>Weights are read as Istio applies them: a route with a single destination sends it all traffic whatever its
 * weight; with several destinations a missing weight counts as 0 and each destination gets weight / sum of weights.
 */
public final class IstioVirtualServiceRouter extends WeightedRouteRouter {

    public static final String GROUP = "networking.istio.io";
    /** Served by Istio 1.22 and later; older meshes serve v1beta1 (see the four-argument constructor). */
    public static final String VERSION = "v1";
    public static final String PLURAL = "virtualservices";
    private static final String CLUSTER_DOMAIN_SUFFIX = ".svc.cluster.local";

    private final String version;

    public IstioVirtualServiceRouter(KubernetesClient client, String namespace, RouterSpec spec) {
        this(client, namespace, spec, VERSION);
    }

    /** @param version the networking.istio.io API version to use, e.g. {@code v1beta1} for Istio before 1.22 */
    public IstioVirtualServiceRouter(KubernetesClient client, String namespace, RouterSpec spec, String version) {
        super(client, namespace, spec, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    String kind() {
        return "VirtualService";
    }

    @Override
    ResourceDefinitionContext resource() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(version)
                .withKind("VirtualService")
                .withPlural(PLURAL)
                .withNamespaced(true)
                .build();
    }

    @Override
    String notFoundHint() {
        return " (is Istio installed and serving " + GROUP + "/" + version + "? check the name and namespace of the VirtualService)";
    }

    @Override
    List<Split> splits(GenericKubernetesResource object) {
        List<Split> splits = new ArrayList<>();
        List<Object> http = list(spec(object).get("http"));
        if (http == null) {
            return splits;
        }
        for (int i = 0; i < http.size(); i++) {
            Map<String, Object> route = map(http.get(i));
            List<Object> destinations = route == null ? null : list(route.get("route"));
            if (destinations == null) {
                continue; // a redirect or direct response
            }
            Split s = new Split(where("spec.http", i, route), destinations);
            for (Object entry : destinations) {
                Color c = colorOf(entry);
                if (c != null) {
                    s.set(c, map(entry));
                }
            }
            if (s.blue != null || s.green != null) {
                splits.add(s);
            }
        }
        return splits;
    }

    private Color colorOf(Object entry) {
        Map<String, Object> e = map(entry);
        Map<String, Object> d = e == null ? null : map(e.get("destination"));
        if (d == null) {
            return null;
        }
        String host = string(d.get("host"));
        if (spec.host() == null) {
            for (Color c : Color.values()) {
                if (sameHost(host, spec.backend(c))) {
                    return c;
                }
            }
            return null;
        }
        if (!sameHost(host, spec.host())) {
            return null;
        }
        String subset = string(d.get("subset"));
        for (Color c : Color.values()) {
            if (spec.backend(c).equals(subset)) {
                return c;
            }
        }
        return null;
    }

    /** Whether two hosts name the same service, resolving short names in this namespace as Istio does. */
    boolean sameHost(String a, String b) {
        return a != null && b != null && fqdn(a).equals(fqdn(b));
    }

    private String fqdn(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.contains(".") ? h : h + "." + namespace + CLUSTER_DOMAIN_SUFFIX;
    }

    @Override
    String expected() {
        if (spec.host() == null) {
            return "an http route with destination hosts '" + spec.blueBackend() + "' and/or '" + spec.greenBackend()
                    + "' (short names or <name>." + namespace + CLUSTER_DOMAIN_SUFFIX + ")";
        }
        return "an http route with destination host '" + spec.host() + "' and subsets '" + spec.blueBackend() + "' and/or '"
                + spec.greenBackend() + "'";
    }

    @Override
    String found(GenericKubernetesResource object) {
        Map<String, Object> body = spec(object);
        Set<String> destinations = new LinkedHashSet<>();
        List<Object> http = list(body.get("http"));
        if (http != null) {
            for (Object r : http) {
                Map<String, Object> route = map(r);
                List<Object> entries = route == null ? null : list(route.get("route"));
                if (entries != null) {
                    entries.forEach(e -> destinations.add(label(e)));
                }
            }
        }
        String found = destinations.isEmpty() ? "it has no http route with destinations"
                : "its http routes go to " + String.join(", ", destinations);
        if (body.get("tcp") != null || body.get("tls") != null) {
            found += " (tcp and tls routes are not managed)";
        }
        return found;
    }

    @Override
    String label(Object entry) {
        Map<String, Object> e = map(entry);
        Map<String, Object> d = e == null ? null : map(e.get("destination"));
        if (d == null) {
            return "a destination without host";
        }
        String subset = string(d.get("subset"));
        return "host '" + d.get("host") + "'" + (subset == null ? "" : " subset '" + subset + "'");
    }

    @Override
    long effectiveWeight(Object entry, int size, String where) {
        Long w = explicitWeight(entry, where + " destination " + label(entry));
        if (size == 1) {
            return 1; // Istio sends all traffic to a lone destination, whatever its weight
        }
        return w == null ? 0 : w;
    }

    @Override
    Map<String, Object> newEntry(Color missing, Map<String, Object> present) {
        Map<String, Object> presentDestination = map(present.get("destination"));
        String presentHost = string(presentDestination.get("host"));
        Map<String, Object> destination = new LinkedHashMap<>();
        if (spec.host() == null) {
            destination.put("host", hostLike(presentHost, spec.backend(missing.other()), spec.backend(missing)));
        } else {
            destination.put("host", presentHost);
            destination.put("subset", spec.backend(missing));
        }
        if (presentDestination.get("port") != null) {
            destination.put("port", copy(presentDestination.get("port")));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("destination", destination);
        entry.put("weight", 0);
        return entry;
    }

    /** The missing colour's host in the style of the present one: short, or with the same domain suffix. */
    private static String hostLike(String presentHost, String presentBackend, String missingBackend) {
        if (!missingBackend.contains(".") && presentHost != null && !presentBackend.contains(".")
                && presentHost.toLowerCase(Locale.ROOT).startsWith(presentBackend + ".")) {
            return missingBackend + presentHost.substring(presentBackend.length());
        }
        return missingBackend;
    }

    private Map<String, Object> spec(GenericKubernetesResource object) {
        Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
        if (spec == null) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what())
                    + " has no spec: expected " + expected());
        }
        return spec;
    }
}
