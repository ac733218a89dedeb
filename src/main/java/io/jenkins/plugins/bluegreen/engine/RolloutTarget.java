package io.jenkins.plugins.bluegreen.engine;

import java.util.regex.Pattern;

/**
 * The service a rollout is about: its namespace and name. The name is used for the Deployments
 * ({@code <service>-blue}, {@code <service>-green}), the colour Services and the rollout record.
 */
public record RolloutTarget(String namespace, String service) {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** Leaves room for the {@code -green} suffix and the record's name within Kubernetes' 63 characters. */
    public static final int MAX_SERVICE_LENGTH = 47;

    public RolloutTarget {
        if (namespace == null || namespace.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a namespace is required");
        }
        if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "'" + namespace + "' is not a valid namespace (lower-case letters, digits and '-', at most 63)");
        }
        if (service == null || service.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a service name is required");
        }
        if (!isServiceName(service)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "'" + service
                    + "' is not a valid service name (lower-case letters, digits and '-', at most " + MAX_SERVICE_LENGTH + ")");
        }
    }

    /** Whether {@code service} can name a blue-green service: an RFC 1123 label short enough for the suffixes. */
    public static boolean isServiceName(String service) {
        return service.length() <= MAX_SERVICE_LENGTH && DNS1123_LABEL.matcher(service).matches();
    }

    @Override
    public String toString() {
        return namespace + "/" + service;
    }
}
