package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Describable;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.time.Duration;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * A Prometheus server that metric gates query, referred to by name: its URL (http or https only), the ID of
 * optional credentials (secret text as bearer token, or user name and password) and a request timeout.
 */
public class PrometheusServer extends MonitoringServer implements Describable<PrometheusServer> {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public PrometheusServer(String name, String url) {
        super(name, url);
    }

    /** The endpoint for this server with the given authentication. */
    public PrometheusEndpoint endpoint(HttpAuth auth) {
        return PrometheusEndpoint.of(getUrl(), auth, Duration.ofSeconds(getRequestTimeoutSeconds()));
    }

    @Extension
    public static class DescriptorImpl extends MonitoringServer.ServerDescriptor<PrometheusServer> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PrometheusServer_DisplayName();
        }

        @Override
        protected CredentialsMatcher acceptedCredentials() {
            return CredentialsResolver.PROMETHEUS_CREDENTIALS;
        }

        @Override
        protected HttpAuth auth(String credentialsId, StandardCredentials c) throws AbortException {
            return CredentialsResolver.prometheusAuth(credentialsId, c);
        }

        /** {@code /api/v1/status/buildinfo}. */
        @Override
        protected String connect(String url, HttpAuth auth, int timeoutSeconds) throws PrometheusException, InterruptedException {
            return new PrometheusClient(PrometheusEndpoint.of(url, auth, Duration.ofSeconds(timeoutSeconds)),
                    SharedHttp.transport()).checkConnection();
        }

        @Override
        protected String connected(String version) {
            return Messages.PrometheusServer_Connected(version);
        }

        @Override
        protected String connectionFailed(String reason) {
            return Messages.PrometheusServer_ConnectionFailed(reason);
        }
    }
}
