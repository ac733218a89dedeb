package io.jenkins.plugins.bluegreen.engine;

import java.util.regex.Pattern;

/**
 * Which object moves the traffic and how it names the colours. Stored in the rollout record so that a rollback
 * from another build needs only the namespace and the service.
 *
 * @param kind the provider
 * @param name the VirtualService, HTTPRoute or Service to change
 * @param blueBackend the blue destination: a host or Service name, or a subset name when {@code host} is set
 * @param greenBackend the green destination, likewise
 * @param host for an Istio VirtualService that splits by subset: the destination host both subsets belong to;
 *     null when the colours are separate hosts (Services)
 */
public record RouterSpec(Kind kind, String name, String blueBackend, String greenBackend, String host)
        implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public enum Kind {
        ISTIO_VIRTUAL_SERVICE,
        GATEWAY_HTTP_ROUTE,
        SERVICE_SELECTOR
    }

    public RouterSpec {
        if (kind == null) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a traffic router kind is required");
        }
        requireName("router object", name);
        if (kind != Kind.SERVICE_SELECTOR) {
            requireName("blue destination", blueBackend);
            requireName("green destination", greenBackend);
            if (blueBackend.equals(greenBackend)) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                        "the blue and green destinations must differ, both are '" + blueBackend + "'");
            }
        }
        if (host != null) {
            if (kind != Kind.ISTIO_VIRTUAL_SERVICE) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "only an Istio VirtualService splits by subset");
            }
            requireName("destination host", host);
        }
    }

    /** Conventional destinations for {@code service}: Services {@code <service>-blue} and {@code <service>-green}. */
    public static RouterSpec byServices(Kind kind, String name, String service) {
        return new RouterSpec(kind, name, service + "-blue", service + "-green", null);
    }

    /** An Istio VirtualService routing to subsets {@code blue}/{@code green} of one host. */
    public static RouterSpec istioSubsets(String name, String host) {
        return new RouterSpec(Kind.ISTIO_VIRTUAL_SERVICE, name, "blue", "green", host);
    }

    /** A plain Service whose selector is switched between the colours. */
    public static RouterSpec serviceSelector(String service) {
        return new RouterSpec(Kind.SERVICE_SELECTOR, service, null, null, null);
    }

    public String backend(Color color) {
        return color == Color.BLUE ? blueBackend : greenBackend;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the " + what + " name is required");
        }
        if (value.length() > 253 || !DNS1123_SUBDOMAIN.matcher(value).matches()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "the " + what + " name '" + value + "' is not a valid Kubernetes name");
        }
    }
}
