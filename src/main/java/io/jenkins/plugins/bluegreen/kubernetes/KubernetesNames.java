package io.jenkins.plugins.bluegreen.kubernetes;

import java.util.regex.Pattern;

/** Kubernetes naming rules the plugin checks before it sends anything to a cluster. */
public final class KubernetesNames {

    /** RFC 1123 label: namespaces, Service names. */
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private KubernetesNames() {}

    /** Whether {@code name} is a valid namespace (an RFC 1123 label of at most 63 characters). */
    public static boolean isNamespace(String name) {
        return name != null && name.length() <= 63 && DNS1123_LABEL.matcher(name).matches();
    }
}
