package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments every step that acts on one service shares: the service, and how to reach its cluster (a configured
 * cluster name, or an inline server URL with a credentials ID) and namespace. Only their format is checked here,
 * without side effects; the cluster is resolved for the build when the step runs.
 */
public abstract class ClusterStep extends Step {

    private final String service;
    private String cluster;
    private String serverUrl;
    private String credentialsId;
    private String namespace;

    /** @param service the service (its Deployments are {@code <service>-blue} and {@code <service>-green}) */
    protected ClusterStep(String service) {
        String s = trimToNull(service);
        if (s == null) {
            throw new IllegalArgumentException(Messages.ClusterStep_ServiceRequired());
        }
        if (!RolloutTarget.isServiceName(s)) {
            throw new IllegalArgumentException(Messages.ClusterStep_ServiceInvalid(s, RolloutTarget.MAX_SERVICE_LENGTH));
        }
        this.service = s;
    }

    public @NonNull String getService() {
        return service;
    }

    public @CheckForNull String getCluster() {
        return cluster;
    }

    /** @param cluster the name of a cluster of the global configuration */
    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = trimToNull(cluster);
    }

    public @CheckForNull String getServerUrl() {
        return serverUrl;
    }

    /** @param serverUrl the API server of an inline cluster (checked when the step runs) */
    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = trimToNull(serverUrl);
    }

    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    /** @param credentialsId the ID of the credentials of an inline cluster; never the secret itself */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trimToNull(credentialsId);
    }

    public @CheckForNull String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        String ns = trimToNull(namespace);
        if (ns != null && !KubernetesNames.isNamespace(ns)) {
            throw new IllegalArgumentException(Messages.ClusterStep_NamespaceInvalid(ns));
        }
        this.namespace = ns;
    }

    static @CheckForNull String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
