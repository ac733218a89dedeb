package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.net.HttpApiException;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.io.IOException;
import java.io.Serializable;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What a Prometheus server and an Alertmanager of the global configuration share: a name that steps use, a URL
 * (http or https only), the ID of optional credentials (secret text as bearer token, or user name and password) and a
 * request timeout. TLS is always verified against the JVM's trusted CAs.
 */
public abstract class MonitoringServer implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private final String name;
    private final String url;
    private String credentialsId;
    private int requestTimeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    protected MonitoringServer(String name, String url) {
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

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + url + "]";
    }

    /**
     * The form checks and the connection test of both kinds of server. Every method is {@code @POST} and answers only
     * an administrator: anyone else gets the drop-down's current value, an OK, or no connection at all.
     */
    public abstract static class ServerDescriptor<T extends MonitoringServer & Describable<T>> extends Descriptor<T> {

        /** The credential kinds this server accepts. */
        protected abstract CredentialsMatcher acceptedCredentials();

        /** How to authenticate with these credentials (null: none), refusing other kinds by ID. */
        protected abstract HttpAuth auth(String credentialsId, StandardCredentials c) throws AbortException;

        /** Asks the server for its version, proving address, TLS and credentials. */
        protected abstract String connect(String url, HttpAuth auth, int timeoutSeconds)
                throws HttpApiException, InterruptedException;

        protected abstract String connected(String version);

        protected abstract String connectionFailed(String reason);

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
            return Checks.isAdministrator() ? Checks.timeoutSeconds(value) : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String url, @QueryParameter String credentialsId) {
            if (!Checks.isAdministrator()) {
                return Checks.currentValueOnly(credentialsId);
            }
            return CredentialsResolver.listForAdministrator(url, credentialsId, acceptedCredentials());
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String url, @QueryParameter String value) {
            if (!Checks.isAdministrator() || value == null || value.isBlank()) {
                return FormValidation.ok(); // a server without authentication is common
            }
            return Checks.credentialsProblem(value, url, acceptedCredentials());
        }

        /** Asks the server in the form (not the saved one) for its version, with the form's credentials. */
        @POST
        public FormValidation doTestConnection(
                @QueryParameter String url,
                @QueryParameter String credentialsId,
                @QueryParameter String requestTimeoutSeconds) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = ConfigRules.url(url);
            if (problem != null) {
                return FormValidation.error(problem);
            }
            int timeout = MonitoringServer.DEFAULT_TIMEOUT_SECONDS;
            if (requestTimeoutSeconds != null && !requestTimeoutSeconds.isBlank()) {
                Integer seconds = Checks.seconds(requestTimeoutSeconds);
                if (seconds == null || ConfigRules.timeoutSeconds(seconds) != null) {
                    return Checks.timeoutProblem();
                }
                timeout = seconds;
            }
            try {
                StandardCredentials c = null;
                if (credentialsId != null && !credentialsId.isBlank()) {
                    c = CredentialsResolver.findForAdministrator(credentialsId, url);
                    if (c == null) {
                        return FormValidation.error(Messages.Checks_CredentialsNotFound(credentialsId));
                    }
                }
                return FormValidation.ok(connected(connect(url.trim(), auth(credentialsId, c), timeout)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FormValidation.error(connectionFailed("interrupted"));
            } catch (HttpApiException | RuntimeException | IOException e) {
                // our own messages never carry secrets or response bodies; anything else is reported by type
                return FormValidation.error(connectionFailed(Checks.safeMessage(e)));
            }
        }

    }
}
