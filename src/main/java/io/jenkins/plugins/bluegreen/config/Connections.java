package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.ProxyConfiguration;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAuth;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a build reaches a Kubernetes cluster and a Prometheus server: by a name from the global configuration, or
 * inline (a URL and a credentials ID). Credentials are resolved for the build, through the run, each time and
 * tracked; there is no fallback to the controller's own kubeconfig or service account. Every failure is an
 * {@link AbortException} whose message names IDs, names and fields only, never a secret or a URL.
 */
public final class Connections {

    private Connections() {}

    /**
     * Access to a cluster for this build.
     *
     * @param clusterName a cluster of the global configuration, or null for an inline cluster
     * @param serverUrl the API server of an inline cluster, or null for a named one
     * @param credentialsId the credentials of an inline cluster (a named cluster uses its own)
     * @param namespace the namespace, overriding the named cluster's default; may be null
     */
    public static ClusterAccess cluster(Run<?, ?> run, String clusterName, String serverUrl, String credentialsId,
            String namespace) throws IOException {
        String name = ConfigRules.trimToNull(clusterName);
        String url = ConfigRules.trimToNull(serverUrl);
        String id = ConfigRules.trimToNull(credentialsId);
        String ns = ConfigRules.trimToNull(namespace);
        if ((name == null) == (url == null)) {
            throw new AbortException(name == null
                    ? Messages.Connections_ClusterMissing() : Messages.Connections_ClusterNameAndUrl());
        }
        abortIf(ConfigRules.namespace(ns));
        if (name != null) {
            KubernetesCluster cluster = BlueGreenGlobalConfiguration.get().findCluster(name).orElseThrow(() ->
                    new AbortException(Messages.Connections_UnknownCluster(name,
                            names(BlueGreenGlobalConfiguration.get().getClusters(), KubernetesCluster::getName))));
            if (id != null) {
                throw new AbortException(Messages.Connections_ClusterCredentialsFromConfiguration(cluster.getName()));
            }
            String configuredId = cluster.getCredentialsId();
            if (configuredId == null) {
                throw new AbortException(Messages.Connections_ClusterWithoutCredentials(cluster.getName()));
            }
            ClusterAuth auth = clusterAuth(run, configuredId, cluster.getServerUrl());
            ClusterAccess access = cluster.access(auth);
            if (ns == null) {
                return access;
            }
            return new ClusterAccess(access.serverUrl(), access.caCertificatePem(), access.skipTlsVerify(), ns,
                    access.auth(), access.requestTimeout());
        }
        abortIf(ConfigRules.url(url));
        if (id == null) {
            throw new AbortException(Messages.Connections_InlineClusterWithoutCredentials());
        }
        ClusterAuth auth = clusterAuth(run, id, url);
        return new ClusterAccess(URI.create(url), null, false, ns, auth, null);
    }

    /**
     * A Prometheus client for this build, with Jenkins' proxy settings.
     *
     * @param serverName a Prometheus server of the global configuration, or null for an inline one
     * @param url the URL of an inline server, or null for a named one
     * @param credentialsId optional credentials of an inline server (a named server uses its own, if any)
     */
    public static PrometheusClient prometheus(Run<?, ?> run, String serverName, String url, String credentialsId)
            throws IOException {
        String name = ConfigRules.trimToNull(serverName);
        String inlineUrl = ConfigRules.trimToNull(url);
        String id = ConfigRules.trimToNull(credentialsId);
        if ((name == null) == (inlineUrl == null)) {
            throw new AbortException(name == null
                    ? Messages.Connections_PrometheusMissing() : Messages.Connections_PrometheusNameAndUrl());
        }
        String effectiveUrl;
        String effectiveId;
        Duration timeout;
        if (name != null) {
            PrometheusServer server = BlueGreenGlobalConfiguration.get().findPrometheusServer(name).orElseThrow(() ->
                    new AbortException(Messages.Connections_UnknownPrometheus(name,
                            names(BlueGreenGlobalConfiguration.get().getPrometheusServers(), PrometheusServer::getName))));
            if (id != null) {
                throw new AbortException(Messages.Connections_PrometheusCredentialsFromConfiguration(server.getName()));
            }
            effectiveUrl = server.getUrl();
            effectiveId = server.getCredentialsId();
            timeout = Duration.ofSeconds(server.getRequestTimeoutSeconds());
        } else {
            abortIf(ConfigRules.url(inlineUrl));
            effectiveUrl = inlineUrl;
            effectiveId = id;
            timeout = Duration.ofSeconds(PrometheusServer.DEFAULT_TIMEOUT_SECONDS);
        }
        StandardCredentials c = effectiveId == null ? null : CredentialsResolver.findForRun(effectiveId, run, effectiveUrl);
        PrometheusAuth auth = CredentialsResolver.prometheusAuth(effectiveId, c);
        return new PrometheusClient(PrometheusEndpoint.of(effectiveUrl, auth, timeout),
                ProxyConfiguration.newHttpClientBuilder());
    }

    private static ClusterAuth clusterAuth(Run<?, ?> run, String id, String url) throws IOException {
        return CredentialsResolver.clusterAuth(id, CredentialsResolver.findForRun(id, run, url));
    }

    private static void abortIf(String problem) throws AbortException {
        if (problem != null) {
            throw new AbortException(problem);
        }
    }

    private static <T> String names(List<T> entries, Function<T, String> name) {
        return entries.isEmpty()
                ? Messages.Connections_NoneConfigured()
                : entries.stream().map(name).sorted(String.CASE_INSENSITIVE_ORDER).collect(Collectors.joining(", "));
    }
}
