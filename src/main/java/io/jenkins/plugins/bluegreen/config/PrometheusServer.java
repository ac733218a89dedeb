package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ProxyConfiguration;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAuth;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import java.io.Serializable;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Prometheus server that metric gates query, referred to by name: its URL (http or https only), the ID of
 * optional credentials (secret text as bearer token, or user name and password) and a request timeout.
 */
public class PrometheusServer implements Describable<PrometheusServer>, Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private final String name;
    private final String url;
    private String credentialsId;
    private int requestTimeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @DataBoundConstructor
    public PrometheusServer(String name, String url) {
        ConfigRules.require("name", ConfigRules.name(name));
        ConfigRules.parsedUrl("url", url);
        this.name = name.trim();
        this.url = url.trim();
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = ConfigRules.trimToNull(credentialsId);
    }

    public int getRequestTimeoutSeconds() {
        return requestTimeoutSeconds;
    }

    @DataBoundSetter
    public void setRequestTimeoutSeconds(int requestTimeoutSeconds) {
        ConfigRules.require("requestTimeoutSeconds", ConfigRules.timeoutSeconds(requestTimeoutSeconds));
        this.requestTimeoutSeconds = requestTimeoutSeconds;
    }

    /** The endpoint for this server with the given authentication. */
    public PrometheusEndpoint endpoint(PrometheusAuth auth) {
        return PrometheusEndpoint.of(url, auth, Duration.ofSeconds(requestTimeoutSeconds));
    }

    @Override
    public String toString() {
        return "PrometheusServer[" + name + ", " + url + "]";
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<PrometheusServer> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PrometheusServer_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.name(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckUrl(@QueryParameter String value) {
            return Checks.isAdministrator() ? Checks.result(ConfigRules.url(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRequestTimeoutSeconds(@QueryParameter String value) {
            if (!Checks.isAdministrator()) {
                return FormValidation.ok();
            }
            try {
                return Checks.result(ConfigRules.timeoutSeconds(Integer.parseInt(value == null ? "" : value.trim())));
            } catch (NumberFormatException e) {
                return FormValidation.error(Messages.ConfigRules_TimeoutRange(
                        ConfigRules.MIN_TIMEOUT_SECONDS, ConfigRules.MAX_TIMEOUT_SECONDS));
            }
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String url, @QueryParameter String credentialsId) {
            if (!Checks.isAdministrator()) {
                return Checks.currentValueOnly(credentialsId);
            }
            return CredentialsResolver.listForAdministrator(url, credentialsId, CredentialsResolver.PROMETHEUS_CREDENTIALS);
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String url, @QueryParameter String value) {
            if (!Checks.isAdministrator() || value == null || value.isBlank()) {
                return FormValidation.ok(); // Prometheus without authentication is common
            }
            return Checks.credentialsProblem(value, url, CredentialsResolver.PROMETHEUS_CREDENTIALS);
        }

        /** Asks the server in the form (not the saved one) for its build information. */
        @POST
        public FormValidation doTestConnection(
                @QueryParameter String url,
                @QueryParameter String credentialsId,
                @QueryParameter String requestTimeoutSeconds) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            PrometheusServer server;
            try {
                server = new PrometheusServer("connection-test", url);
                if (requestTimeoutSeconds != null && !requestTimeoutSeconds.isBlank()) {
                    server.setRequestTimeoutSeconds(Integer.parseInt(requestTimeoutSeconds.trim()));
                }
            } catch (InvalidConfigurationException e) {
                return FormValidation.error(e.getMessage());
            } catch (NumberFormatException e) {
                return FormValidation.error(Messages.ConfigRules_TimeoutRange(
                        ConfigRules.MIN_TIMEOUT_SECONDS, ConfigRules.MAX_TIMEOUT_SECONDS));
            }
            try {
                StandardCredentials c = null;
                if (credentialsId != null && !credentialsId.isBlank()) {
                    c = CredentialsResolver.findForAdministrator(credentialsId, url);
                    if (c == null) {
                        return FormValidation.error(Messages.Checks_CredentialsNotFound(credentialsId));
                    }
                }
                PrometheusAuth auth = CredentialsResolver.prometheusAuth(credentialsId, c);
                String version = new PrometheusClient(server.endpoint(auth), ProxyConfiguration.newHttpClientBuilder())
                        .checkConnection();
                return FormValidation.ok(Messages.PrometheusServer_Connected(version));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FormValidation.error(Messages.PrometheusServer_ConnectionFailed("interrupted"));
            } catch (PrometheusException | RuntimeException | java.io.IOException e) {
                return FormValidation.error(Messages.PrometheusServer_ConnectionFailed(Checks.safeMessage(e)));
            }
        }
    }
}
