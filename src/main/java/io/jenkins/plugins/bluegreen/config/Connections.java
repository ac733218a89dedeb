package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How a build reaches a Kubernetes cluster, a Prometheus server and an Alertmanager: by a name from the global
 * configuration, or inline (a URL and a credentials ID). Credentials are resolved for the build, through the run, each time and
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
     * A Prometheus client for this build, on the plugin's one HTTP client ({@link SharedHttp}).
     *
     * @param serverName a Prometheus server of the global configuration, or null for an inline one
     * @param url the URL of an inline server, or null for a named one
     * @param credentialsId optional credentials of an inline server (a named server uses its own, if any)
     */
    public static PrometheusClient prometheus(Run<?, ?> run, String serverName, String url, String credentialsId)
            throws IOException {
        Server s = server(run, serverName, url, credentialsId, PROMETHEUS);
        return new PrometheusClient(PrometheusEndpoint.of(s.url(), s.auth(), s.timeout()), SharedHttp.transport());
    }

    /**
     * An Alertmanager client for this build, on the plugin's one HTTP client ({@link SharedHttp}).
     *
     * @param serverName an Alertmanager of the global configuration, or null for an inline one
     * @param url the URL of an inline Alertmanager, or null for a named one
     * @param credentialsId optional credentials of an inline Alertmanager (a named one uses its own, if any)
     */
    public static AlertmanagerClient alertmanager(Run<?, ?> run, String serverName, String url, String credentialsId)
            throws IOException {
        Server s = server(run, serverName, url, credentialsId, ALERTMANAGER);
        return new AlertmanagerClient(AlertmanagerEndpoint.of(s.url(), s.auth(), s.timeout()), SharedHttp.transport());
    }

    /** A server of the global configuration or given inline, with its credentials resolved for the run. */
    private static Server server(Run<?, ?> run, String serverName, String url, String credentialsId, Kind<?> kind)
            throws IOException {
        String name = ConfigRules.trimToNull(serverName);
        String inlineUrl = ConfigRules.trimToNull(url);
        String id = ConfigRules.trimToNull(credentialsId);
        if ((name == null) == (inlineUrl == null)) {
            throw new AbortException(name == null ? kind.missing().get() : kind.nameAndUrl().get());
        }
        String effectiveUrl;
        String effectiveId;
        Duration timeout;
        if (name != null) {
            List<? extends MonitoringServer> configured = kind.configured().get();
            MonitoringServer server = configured.stream().filter(s -> s.getName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new AbortException(kind.unknown().apply(name, names(configured, MonitoringServer::getName))));
            if (id != null) {
                throw new AbortException(kind.credentialsFromConfiguration().apply(server.getName()));
            }
            effectiveUrl = server.getUrl();
            effectiveId = server.getCredentialsId();
            timeout = Duration.ofSeconds(server.getRequestTimeoutSeconds());
        } else {
            abortIf(ConfigRules.url(inlineUrl));
            effectiveUrl = inlineUrl;
            effectiveId = id;
            timeout = Duration.ofSeconds(MonitoringServer.DEFAULT_TIMEOUT_SECONDS);
        }
        StandardCredentials c = effectiveId == null ? null : CredentialsResolver.findForRun(effectiveId, run, effectiveUrl);
        return new Server(effectiveUrl, kind.auth().apply(effectiveId, c), timeout);
    }

    private record Server(String url, HttpAuth auth, Duration timeout) {}

    @FunctionalInterface
    private interface AuthFromCredentials {
        HttpAuth apply(String id, StandardCredentials c) throws AbortException;
    }

    /** Where a kind of server is configured, its messages and its credentials. */
    private record Kind<T extends MonitoringServer>(Supplier<List<T>> configured, Supplier<String> missing,
            Supplier<String> nameAndUrl, BiFunction<Object, Object, String> unknown,
            Function<Object, String> credentialsFromConfiguration, AuthFromCredentials auth) {}

    private static final Kind<PrometheusServer> PROMETHEUS = new Kind<>(
            () -> BlueGreenGlobalConfiguration.get().getPrometheusServers(), Messages::Connections_PrometheusMissing,
            Messages::Connections_PrometheusNameAndUrl, Messages::Connections_UnknownPrometheus,
            Messages::Connections_PrometheusCredentialsFromConfiguration, CredentialsResolver::prometheusAuth);

    private static final Kind<AlertmanagerServer> ALERTMANAGER = new Kind<>(
            () -> BlueGreenGlobalConfiguration.get().getAlertmanagerServers(), Messages::Connections_AlertmanagerMissing,
            Messages::Connections_AlertmanagerNameAndUrl, Messages::Connections_UnknownAlertmanager,
            Messages::Connections_AlertmanagerCredentialsFromConfiguration, CredentialsResolver::alertmanagerAuth);

    private static ClusterAuth clusterAuth(Run<?, ?> run, String id, String url) throws IOException {
        return CredentialsResolver.clusterAuth(id, CredentialsResolver.findForRun(id, run, url));
    }

    private static void abortIf(String problem) throws AbortException {
        if (problem != null) {
            throw new AbortException(problem);
        }
    }

    private static <T> String names(List<? extends T> entries, Function<T, String> name) {
        return entries.isEmpty()
                ? Messages.Connections_NoneConfigured()
                : entries.stream().map(name).sorted(String.CASE_INSENSITIVE_ORDER).collect(Collectors.joining(", "));
    }
}
