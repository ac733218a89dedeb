package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Describable;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerException;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.time.Duration;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * An Alertmanager that rollouts silence alerts in and alert gates read, referred to by name: its URL (http or https
 * only), the ID of optional credentials (secret text as bearer token, or user name and password) and a request
 * timeout.
 */
public class AlertmanagerServer extends MonitoringServer implements Describable<AlertmanagerServer> {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public AlertmanagerServer(String name, String url) {
        super(name, url);
    }

    /** The endpoint for this server with the given authentication. */
    public AlertmanagerEndpoint endpoint(HttpAuth auth) {
        return AlertmanagerEndpoint.of(getUrl(), auth, Duration.ofSeconds(getRequestTimeoutSeconds()));
    }

    @Extension
    public static class DescriptorImpl extends MonitoringServer.ServerDescriptor<AlertmanagerServer> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.AlertmanagerServer_DisplayName();
        }

        @Override
        protected CredentialsMatcher acceptedCredentials() {
            return CredentialsResolver.ALERTMANAGER_CREDENTIALS;
        }

        @Override
        protected HttpAuth auth(String credentialsId, StandardCredentials c) throws AbortException {
            return CredentialsResolver.alertmanagerAuth(credentialsId, c);
        }

        /** {@code /api/v2/status}: the API the plugin uses, not only a page that answers. */
        @Override
        protected String connect(String url, HttpAuth auth, int timeoutSeconds) throws AlertmanagerException, InterruptedException {
            return new AlertmanagerClient(AlertmanagerEndpoint.of(url, auth, Duration.ofSeconds(timeoutSeconds)),
                    SharedHttp.transport()).checkConnection();
        }

        @Override
        protected String connected(String version) {
            return Messages.AlertmanagerServer_Connected(version);
        }

        @Override
        protected String connectionFailed(String reason) {
            return Messages.AlertmanagerServer_ConnectionFailed(reason);
        }
    }
}
