package io.jenkins.plugins.bluegreen.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Turns Jenkins credentials into the plugin's in-memory authentication values. Only IDs are ever stored;
 * secrets are read here, for one use, and never logged or put into an exception message.
 */
public final class CredentialsResolver {

    /** A Kubernetes cluster takes a token (secret text) or a kubeconfig (secret file). */
    public static final CredentialsMatcher CLUSTER_CREDENTIALS = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(FileCredentials.class));

    /** Prometheus takes a bearer token (secret text) or a user name and password. */
    public static final CredentialsMatcher PROMETHEUS_CREDENTIALS = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));

    /** Alertmanager takes the same kinds as Prometheus: they often sit behind the same proxy. */
    public static final CredentialsMatcher ALERTMANAGER_CREDENTIALS = PROMETHEUS_CREDENTIALS;

    /** A chat webhook takes its URL from a secret text: the URL is the secret. */
    public static final CredentialsMatcher WEBHOOK_CREDENTIALS = CredentialsMatchers.instanceOf(StringCredentials.class);

    /** A kubeconfig larger than this is refused before it is read further. */
    static final int MAX_KUBECONFIG_BYTES = 1024 * 1024;

    private CredentialsResolver() {}

    /**
     * Credentials for the global configuration's checks: those an administrator can use at the root,
     * looked up as SYSTEM (callers have checked Overall/Administer first).
     *
     * @return the credentials, or null when the ID is unknown
     */
    public static StandardCredentials findForAdministrator(String id, String url) {
        if (id == null || id.isBlank()) {
            return null;
        }
        return CredentialsProvider.findCredentialByIdInItemGroup(
                id, StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, URIRequirementBuilder.fromUri(url).build());
    }

    /**
     * Credentials for a build: looked up by ID through the run (so with the job's authentication and folder
     * stores, as the credentials plugin decides) and tracked against it.
     *
     * @throws AbortException naming only the ID when no such credentials are available to the build
     */
    public static StandardCredentials findForRun(String id, Run<?, ?> run, String url) throws AbortException {
        if (id == null || id.isBlank()) {
            throw new AbortException(Messages.CredentialsResolver_IdRequired());
        }
        String trimmed = id.trim();
        StandardCredentials c = CredentialsProvider.findCredentialById(
                trimmed, StandardCredentials.class, run, URIRequirementBuilder.fromUri(url).build());
        if (c == null) {
            throw new AbortException(Messages.CredentialsResolver_NotFound(trimmed));
        }
        CredentialsProvider.track(run, c);
        return c;
    }

    /** The credentials drop-down of the global configuration (callers have checked Overall/Administer first). */
    public static ListBoxModel listForAdministrator(String url, String current, CredentialsMatcher matcher) {
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class,
                        URIRequirementBuilder.fromUri(url).build(), matcher)
                .includeCurrentValue(current == null ? "" : current);
    }

    /** How to authenticate to a cluster with these credentials. */
    public static ClusterAuth clusterAuth(String id, StandardCredentials c) throws IOException {
        if (c instanceof StringCredentials) {
            return new ClusterAuth.Token(token(id, (StringCredentials) c));
        }
        if (c instanceof FileCredentials) {
            String content = read((FileCredentials) c, id);
            if (content.isBlank()) {
                throw new AbortException(Messages.CredentialsResolver_Empty(id));
            }
            return new ClusterAuth.Kubeconfig(content);
        }
        throw new AbortException(Messages.CredentialsResolver_WrongClusterType(id));
    }

    /** How to authenticate to Prometheus with these credentials. */
    public static HttpAuth prometheusAuth(String id, StandardCredentials c) throws AbortException {
        return httpAuth(id, c, Messages::CredentialsResolver_WrongPrometheusType);
    }

    /** How to authenticate to Alertmanager with these credentials. */
    public static HttpAuth alertmanagerAuth(String id, StandardCredentials c) throws AbortException {
        return httpAuth(id, c, Messages::CredentialsResolver_WrongAlertmanagerType);
    }

    /** A bearer token from secret text, basic authentication from a user name and password, none without credentials. */
    private static HttpAuth httpAuth(String id, StandardCredentials c, Function<Object, String> wrongType) throws AbortException {
        if (c == null) {
            return new HttpAuth.None();
        }
        if (c instanceof StringCredentials) {
            return new HttpAuth.Bearer(token(id, (StringCredentials) c));
        }
        if (c instanceof StandardUsernamePasswordCredentials) {
            StandardUsernamePasswordCredentials up = (StandardUsernamePasswordCredentials) c;
            return new HttpAuth.Basic(up.getUsername(), up.getPassword().getPlainText());
        }
        throw new AbortException(wrongType.apply(id));
    }

    /** The webhook URL these credentials hold, unchecked (the caller checks it and never shows it). */
    public static String webhookUrl(String id, StandardCredentials c) throws AbortException {
        if (!(c instanceof StringCredentials)) {
            throw new AbortException(Messages.CredentialsResolver_WrongWebhookType(id));
        }
        return token(id, (StringCredentials) c);
    }

    private static String token(String id, StringCredentials c) throws AbortException {
        String token = c.getSecret().getPlainText().trim();
        if (token.isEmpty()) {
            throw new AbortException(Messages.CredentialsResolver_Empty(id));
        }
        return token;
    }

    /** Reads a secret file as UTF-8. Its file name is never used: it is not a path we may touch. */
    private static String read(FileCredentials c, String id) throws IOException {
        try (InputStream in = c.getContent()) {
            byte[] bytes = in.readNBytes(MAX_KUBECONFIG_BYTES + 1);
            if (bytes.length > MAX_KUBECONFIG_BYTES) {
                throw new AbortException(Messages.CredentialsResolver_TooLarge(id, MAX_KUBECONFIG_BYTES));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
