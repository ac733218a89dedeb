package io.jenkins.plugins.bluegreen.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.net.ApiFailures;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.io.IOException;
import java.net.URI;

/**
 * Builds fabric8 clients from explicit settings only. The configuration starts from {@link Config#empty()}
 * with auto-configuration off: the controller's own kubeconfig, environment and service account are never
 * consulted, so a Pipeline can only act with the identity its credentials give it.
 */
public final class KubernetesClients {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesClients() {}

    /** A client for the cluster, on OkHttp as in Jenkins, its threads from the one pool all clients share; the caller closes it. */
    public static KubernetesClient connect(ClusterAccess access) {
        return connect(config(access));
    }

    /**
     * The HTTP client factory every client of the plugin is built with (OkHttp on one shared pool, Nagle off), for the
     * tests and benchmarks that build fabric8 clients of their own, so that they measure the client the plugin runs.
     */
    public static io.fabric8.kubernetes.client.http.HttpClient.Factory httpClientFactory() {
        return SharedPoolHttpClientFactory.INSTANCE;
    }

    /** {@link #connect(ClusterAccess)} with a configuration of the caller's; exposed for tests. */
    static KubernetesClient connect(Config config) {
        return builder(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRetries.INTERCEPTOR, new ApiRetries.RetryAfter()))
                .build();
    }

    /** Every client of the plugin: on its HTTP client factory, with {@code config}. */
    private static KubernetesClientBuilder builder(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(SharedPoolHttpClientFactory.INSTANCE);
    }

    /** The fabric8 configuration for {@code access}; exposed for tests. */
    static Config config(ClusterAccess access) {
        ConfigBuilder b = new ConfigBuilder(Config.empty())
                .withAutoConfigure(false)
                .withRequestTimeout(Math.toIntExact(access.requestTimeout().toMillis()))
                .withConnectionTimeout(Math.toIntExact(Math.min(access.requestTimeout().toMillis(), 10_000)))
                .withTrustCerts(access.skipTlsVerify())
                .withDisableHostnameVerification(access.skipTlsVerify())
                .withRequestRetryBackoffLimit(ApiRetries.LIMIT)
                .withRequestRetryBackoffInterval(ApiRetries.FIRST_PAUSE_MILLIS);
        URI server = access.serverUrl();
        String caData = access.caCertificatePem() == null || access.caCertificatePem().isBlank()
                ? null
                : CaCertificates.asCertData(access.caCertificatePem());
        String namespace = access.namespace();

        if (access.auth() instanceof ClusterAuth.Token token) {
            b.withOauthToken(token.token());
        } else if (access.auth() instanceof ClusterAuth.Kubeconfig kubeconfig) {
            KubeconfigReader.Entry e = KubeconfigReader.read(kubeconfig.content());
            if (e.insecureSkipTlsVerify() && !access.skipTlsVerify()) {
                throw new ClusterConfigurationException("the kubeconfig asks to skip TLS verification; "
                        + "that needs the explicit 'skip TLS verification' option of the cluster");
            }
            if (server == null && e.server() != null) {
                server = HttpUrl.parse(e.server());
            }
            if (caData == null) {
                caData = e.certificateAuthorityData();
            }
            if (namespace == null || namespace.isBlank()) {
                namespace = e.namespace();
            }
            b.withOauthToken(e.token())
                    .withClientCertData(e.clientCertificateData())
                    .withClientKeyData(e.clientKeyData())
                    .withUsername(e.username())
                    .withPassword(e.password());
        }
        if (server == null) {
            throw new ClusterConfigurationException("no API server URL: set one on the cluster or in the kubeconfig");
        }
        return b.withMasterUrl(server.toString())
                .withCaCertData(caData)
                .withNamespace(namespace == null || namespace.isBlank() ? null : namespace)
                .build();
    }

    /**
     * Proves address, TLS and credentials: reads the server version, then asks the server whether these
     * credentials may change Deployments in the namespace (a SelfSubjectAccessReview). The version alone would
     * prove little, since most clusters answer {@code /version} to anonymous callers.
     *
     * @return a short description such as {@code v1.31.2}
     * @throws ConnectionCheckException whose message says what failed without quoting the server's answer
     */
    public static String checkConnection(ClusterAccess access) {
        Config config = config(access);
        config.setRequestRetryBackoffLimit(0); // an administrator waiting on a button wants the first answer
        try (KubernetesClient client = builder(config).build()) {
            String version = version(client.raw("/version"));
            String namespace = client.getConfiguration().getNamespace();
            SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
                    new SelfSubjectAccessReviewBuilder()
                            .withNewSpec()
                            .withNewResourceAttributes()
                            .withGroup("apps")
                            .withResource("deployments")
                            .withVerb("patch")
                            .withNamespace(namespace)
                            .endResourceAttributes()
                            .endSpec()
                            .build());
            boolean allowed = review != null && review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
            if (!allowed) {
                throw new ConnectionCheckException("connected to Kubernetes " + version
                        + ", but the credentials may not change Deployments "
                        + (namespace == null ? "in any namespace" : "in namespace '" + namespace + "'"));
            }
            return version;
        } catch (KubernetesClientException e) {
            throw new ConnectionCheckException(describe(e));
        }
    }

    private static String version(String json) {
        if (json == null) {
            throw new ConnectionCheckException("the server did not answer like a Kubernetes API server");
        }
        try {
            JsonNode v = JSON.readTree(json);
            String git = v.path("gitVersion").asText("");
            return git.isEmpty() ? "v" + v.path("major").asText("?") + "." + v.path("minor").asText("?") : git;
        } catch (IOException e) {
            throw new ConnectionCheckException("the server did not answer like a Kubernetes API server");
        }
    }

    /**
     * A short, secret-free description of a client failure: the server, the request (method and path) and the fault,
     * never the response body (see {@link ApiFailures}).
     */
    public static String describe(KubernetesClientException e) {
        return ApiFailures.describe(e.getCode(), e);
    }

    /** A failed connection check, safe to show to an administrator. */
    public static final class ConnectionCheckException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConnectionCheckException(String message) {
            super(message);
        }
    }
}
