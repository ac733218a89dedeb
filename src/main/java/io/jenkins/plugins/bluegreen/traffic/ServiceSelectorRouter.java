package io.jenkins.plugins.bluegreen.traffic;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Moves traffic by switching the {@value Workloads#COLOR_LABEL} key of a plain Service's selector, for clusters without
 * a mesh or Gateway API. A selector picks one set of pods, so only blue 100 % or green 100 % can be expressed; other
 * splits are refused before anything changes. Every other selector key and field of the Service is left as it is.
 *
 * <p>A Service whose selector has no colour key yet (e.g. {@code app: shop}, which selects both colours' pods) has no
 * defined weights: {@link #read()} refuses it with INVALID_INPUT saying what to add, and {@link #selectedColor()}
 * returns empty. {@link #verify()} accepts it, and {@link #write} adds the key: a service's first rollout starts
 * this way, and writing is an explicit decision about where the traffic goes.
 */
public final class ServiceSelectorRouter implements TrafficRouter {

    private final KubernetesClient client;
    private final String namespace;
    private final RouterSpec spec;

    public ServiceSelectorRouter(KubernetesClient client, String namespace, RouterSpec spec) {
        this.client = Objects.requireNonNull(client, "client");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (namespace == null || namespace.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a namespace is required for the traffic router");
        }
        if (spec.kind() != RouterSpec.Kind.SERVICE_SELECTOR) {
            throw new IllegalArgumentException("router spec of kind " + spec.kind() + " given to the Service selector router");
        }
        this.namespace = namespace;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public void verify() {
        selectedColor(); // the Service exists and has a selector; a missing colour key is added by the first write
    }

    @Override
    public Weights read() {
        return selectedColor().map(Weights::all).orElseThrow(() -> new RolloutException(RolloutException.Kind.INVALID_INPUT,
                RouterObjects.capitalize(what()) + " does not select a colour yet: its selector " + selectorOf(require())
                        + " has no '" + Workloads.COLOR_LABEL + "' key. Add '" + Workloads.COLOR_LABEL
                        + ": <live colour>' (blue or green) to the selector, matching the label on that colour's pods"));
    }

    /**
     * The colour the Service selects; empty when its selector has no colour key yet.
     *
     * @throws RolloutException NOT_FOUND when the Service is missing; INVALID_INPUT when it has no selector at all or
     *     the colour key holds something other than blue or green
     */
    public Optional<Color> selectedColor() {
        Service service = require();
        Map<String, String> selector = selector(service);
        String value = selector.get(Workloads.COLOR_LABEL);
        if (value == null) {
            return Optional.empty();
        }
        Color color = Color.fromLabel(value);
        if (color == null) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what()) + " selects '"
                    + Workloads.COLOR_LABEL + "=" + value + "'; expected blue or green");
        }
        return Optional.of(color);
    }

    /**
     * Points the selector at the colour that gets 100 %.
     *
     * @throws RolloutException INVALID_INPUT for any split other than 0/100, before anything changes
     */
    @Override
    public Weights write(Weights weights) {
        Objects.requireNonNull(weights, "weights");
        if (weights.blue() != 100 && weights.green() != 100) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what())
                    + " is switched by its selector, which moves all traffic at once: it can send blue 100 % or green 100 %, not "
                    + weights + ". Use traffic steps of 100 only with a Service selector router, or an Istio VirtualService or "
                    + "Gateway API HTTPRoute router for gradual steps");
        }
        Color target = weights.blue() == 100 ? Color.BLUE : Color.GREEN;
        RouterObjects.update(what(), notFoundHint(), this::get, service -> {
            Map<String, String> selector = selector(service);
            if (target.label().equals(selector.get(Workloads.COLOR_LABEL))) {
                return false;
            }
            Map<String, String> changed = new LinkedHashMap<>(selector);
            changed.put(Workloads.COLOR_LABEL, target.label());
            service.getSpec().setSelector(changed);
            return true;
        }, service -> client.services().inNamespace(namespace).resource(service).update());
        Weights now = read();
        if (!now.equals(weights)) {
            throw new RolloutException(RolloutException.Kind.TRAFFIC, what() + " holds " + now + " (selector '"
                    + Workloads.COLOR_LABEL + "=" + (now.blue() == 100 ? Color.BLUE : Color.GREEN).label() + "') after writing " + weights
                    + "; something else changed it (a GitOps controller such as Argo CD or Flux, an operator, or a person): "
                    + "stop it from managing this selector while the rollout runs");
        }
        return now;
    }

    private String what() {
        return RouterObjects.describe("Service", spec.name(), namespace);
    }

    private static String notFoundHint() {
        return " (check the Service name and namespace of the traffic router)";
    }

    private Service get() {
        return client.services().inNamespace(namespace).withName(spec.name()).get();
    }

    private Service require() {
        return RouterObjects.require(what(), notFoundHint(), this::get);
    }

    /** The selector; a Service without one (endpoints managed by hand, ExternalName) cannot be switched. */
    private Map<String, String> selector(Service service) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            String type = service.getSpec() == null ? null : service.getSpec().getType();
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, RouterObjects.capitalize(what())
                    + " has no selector" + ("ExternalName".equals(type) ? " (it is an ExternalName Service)" : "")
                    + ", so it cannot be switched between colours; expected a selector with the key '" + Workloads.COLOR_LABEL + "'");
        }
        return selector;
    }

    private String selectorOf(Service service) {
        return new TreeMap<>(selector(service)).toString();
    }
}
