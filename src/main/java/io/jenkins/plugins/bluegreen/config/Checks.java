package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.AbortException;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterConfigurationException;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.net.HttpApiException;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import jenkins.model.Jenkins;

/**
 * What every web method of the global configuration shares: the permission gate (Overall/Administer, since
 * this is the root configuration) and messages that never echo a secret or a server's response body.
 */
final class Checks {

    private Checks() {}

    static boolean isAdministrator() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    static FormValidation result(String problem) {
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** A request timeout in the form: whole seconds within the range {@link ConfigRules#timeoutSeconds} allows. */
    static FormValidation timeoutSeconds(String value) {
        Integer seconds = seconds(value);
        return seconds == null ? timeoutProblem() : result(ConfigRules.timeoutSeconds(seconds));
    }

    /** The form's number of seconds, or null when it is not a whole number. */
    static Integer seconds(String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static FormValidation timeoutProblem() {
        return FormValidation.error(Messages.ConfigRules_TimeoutRange(ConfigRules.MIN_TIMEOUT_SECONDS, ConfigRules.MAX_TIMEOUT_SECONDS));
    }

    /** What a user without permission gets from a credentials drop-down: the value already there, nothing more. */
    static ListBoxModel currentValueOnly(String current) {
        return new StandardListBoxModel().includeCurrentValue(current == null ? "" : current);
    }

    static FormValidation credentialsProblem(String id, String url, CredentialsMatcher accepted) {
        StandardCredentials c = CredentialsResolver.findForAdministrator(id, url);
        if (c == null) {
            return FormValidation.error(Messages.Checks_CredentialsNotFound(id));
        }
        if (!accepted.matches(c)) {
            return FormValidation.error(Messages.Checks_CredentialsWrongType(id));
        }
        return FormValidation.ok();
    }

    /**
     * The message of a failure in a connection test. Our own exceptions are written to be shown (status codes,
     * Prometheus error types, no bodies, no secrets); anything else is named by its type only, because
     * library messages can quote configuration or responses.
     */
    static String safeMessage(Exception e) {
        if (e instanceof HttpApiException
                || e instanceof KubernetesClients.ConnectionCheckException
                || e instanceof AbortException
                || e instanceof HttpUrl.InvalidUrlException
                || e instanceof ClusterConfigurationException
                || e instanceof InvalidConfigurationException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName();
    }
}
