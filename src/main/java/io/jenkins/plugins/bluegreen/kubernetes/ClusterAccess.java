package io.jenkins.plugins.bluegreen.kubernetes;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to reach one Kubernetes API server.
 *
 * @param serverUrl the API server; may be null when a kubeconfig credential names it
 * @param caCertificatePem PEM certificates to trust for the server, or null for the kubeconfig's or the JVM's
 * @param skipTlsVerify the explicit, per-cluster opt-in to skip TLS verification; never a default
 * @param namespace the default namespace, or null
 * @param auth how to authenticate
 * @param requestTimeout timeout of each API request
 */
public record ClusterAccess(
        URI serverUrl,
        String caCertificatePem,
        boolean skipTlsVerify,
        String namespace,
        ClusterAuth auth,
        Duration requestTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public ClusterAccess {
        Objects.requireNonNull(auth, "auth");
        if (requestTimeout == null) {
            requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new ClusterConfigurationException("the request timeout must be positive");
        }
    }

    @Override
    public String toString() {
        return "ClusterAccess[" + serverUrl + ", namespace=" + namespace + ", skipTlsVerify=" + skipTlsVerify + "]";
    }
}
