package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Kubernetes cluster that Pipelines refer to by name: where its API server is, which CA to trust, and the ID
 * of the credentials (a token as secret text, or a kubeconfig as secret file). Skipping TLS verification is an
 * explicit, per-cluster opt-in.
 */
public class KubernetesCluster implements Describable<KubernetesCluster>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String serverUrl;
    private String credentialsId;
    private String caCertificate;
    private String namespace;
    private boolean skipTlsVerify;
    /** Null in a configuration saved before it existed, and when left at the default. */
    private Integer requestTimeoutSeconds;

    @DataBoundConstructor
    public KubernetesCluster(String name, String serverUrl) {
        ConfigRules.require("name", ConfigRules.name(name));
        ConfigRules.parsedUrl("serverUrl", serverUrl);
        this.name = name.trim();
        this.serverUrl = serverUrl.trim();
    }

    public String getName() {
        return name;
    }

    public String getServerUrl() {
        return serverUrl;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = ConfigRules.trimToNull(credentialsId);
    }

    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        ConfigRules.require("caCertificate", ConfigRules.caCertificate(caCertificate));
        this.caCertificate = ConfigRules.trimToNull(caCertificate);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        ConfigRules.require("namespace", ConfigRules.namespace(namespace));
        this.namespace = ConfigRules.trimToNull(namespace);
    }

    public boolean isSkipTlsVerify() {
        return skipTlsVerify;
    }

    @DataBoundSetter
    public void setSkipTlsVerify(boolean skipTlsVerify) {
        this.skipTlsVerify = skipTlsVerify;
    }

    /** How long one API request may take before it fails (retries come on top); 30 s unless set. */
    public int getRequestTimeoutSeconds() {
        return requestTimeoutSeconds == null
                ? Math.toIntExact(ClusterAccess.DEFAULT_REQUEST_TIMEOUT.toSeconds()) : requestTimeoutSeconds;
    }

    @DataBoundSetter
    public void setRequestTimeoutSeconds(int requestTimeoutSeconds) {
        ConfigRules.require("requestTimeoutSeconds", ConfigRules.timeoutSeconds(requestTimeoutSeconds));
        this.requestTimeoutSeconds = requestTimeoutSeconds == ClusterAccess.DEFAULT_REQUEST_TIMEOUT.toSeconds()
                ? null : requestTimeoutSeconds;
    }

    /** How to reach this cluster with the given authentication. */
    public ClusterAccess access(ClusterAuth auth) {
        return new ClusterAccess(URI.create(serverUrl), caCertificate, skipTlsVerify, namespace, auth,
                Duration.ofSeconds(getRequestTimeoutSeconds()));
    }

    @Override
    public String toString() {
        return "KubernetesCluster[" + name + ", " + serverUrl + "]";
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<KubernetesCluster> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KubernetesCluster_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.name(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.url(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRequestTimeoutSeconds(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.timeoutSeconds(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckNamespace(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.namespace(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.caCertificate(value)) : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String serverUrl, @QueryParameter String credentialsId) {
            if (!Checks.isAdministrator()) {
                return Checks.currentValueOnly(credentialsId);
            }
            return CredentialsResolver.listForAdministrator(serverUrl, credentialsId, CredentialsResolver.CLUSTER_CREDENTIALS);
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String serverUrl, @QueryParameter String value) {
            if (!Checks.isAdministrator()) {
                return FormValidation.ok();
            }
            if (value == null || value.isBlank()) {
                return FormValidation.error(Messages.KubernetesCluster_CredentialsRequired());
            }
            return Checks.credentialsProblem(value, serverUrl, CredentialsResolver.CLUSTER_CREDENTIALS);
        }

        /** Connects with the values in the form (not the saved ones) and reports the server version. */
        @POST
        public FormValidation doTestConnection(
                @QueryParameter String serverUrl,
                @QueryParameter String credentialsId,
                @QueryParameter String caCertificate,
                @QueryParameter String namespace,
                @QueryParameter boolean skipTlsVerify) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            KubernetesCluster cluster;
            try {
                cluster = new KubernetesCluster("connection-test", serverUrl);
                cluster.setCaCertificate(caCertificate);
                cluster.setNamespace(namespace);
                cluster.setSkipTlsVerify(skipTlsVerify);
            } catch (InvalidConfigurationException e) {
                return FormValidation.error(e.getMessage());
            }
            StandardCredentials c = CredentialsResolver.findForAdministrator(credentialsId, serverUrl);
            if (c == null) {
                return FormValidation.error(Messages.Checks_CredentialsNotFound(String.valueOf(credentialsId)));
            }
            try {
                ClusterAuth auth = CredentialsResolver.clusterAuth(credentialsId, c);
                String version = KubernetesClients.checkConnection(cluster.access(auth));
                return FormValidation.ok(Messages.KubernetesCluster_Connected(version));
            } catch (IOException | RuntimeException e) {
                // Our own messages never carry secrets or response bodies; anything else is reported by type.
                return FormValidation.error(Messages.KubernetesCluster_ConnectionFailed(Checks.safeMessage(e)));
            }
        }
    }
}
