package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a kubeconfig kept in a Jenkins secret-file credential, through fabric8's typed model (no
 * type-instantiating YAML). Only self-contained kubeconfigs are accepted: anything that would make the
 * controller run a program ({@code exec}, {@code auth-provider}) or read one of its own files
 * ({@code certificate-authority}, {@code client-certificate}, {@code client-key}, {@code tokenFile}) is
 * refused, because the credential's author would otherwise act with the controller's identity.
 */
public final class KubeconfigReader {

    /** Kubeconfigs are small; a bigger "kubeconfig" is a mistake or an attack on the parser. */
    static final int MAX_LENGTH = 1024 * 1024;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The parts of the current context the plugin uses. Secrets are never printed by {@link #toString()}. */
    public record Entry(
            String server,
            String certificateAuthorityData,
            boolean insecureSkipTlsVerify,
            String namespace,
            String token,
            String clientCertificateData,
            String clientKeyData,
            String username,
            String password) {

        @Override
        public String toString() {
            return "Kubeconfig.Entry[server=" + server + ", namespace=" + namespace + "]";
        }
    }

    private KubeconfigReader() {}

    /**
     * @throws ClusterConfigurationException with a message that names the problem and quotes nothing from the file
     */
    public static Entry read(String content) {
        if (content == null || content.isBlank()) {
            throw new ClusterConfigurationException("the kubeconfig is empty");
        }
        if (content.length() > MAX_LENGTH) {
            throw new ClusterConfigurationException("the kubeconfig is larger than " + MAX_LENGTH + " characters");
        }
        Config config;
        try {
            config = SERIALIZATION.unmarshal(content, Config.class);
        } catch (RuntimeException e) {
            // The parser's message can quote the document, which holds secrets: say only what failed.
            throw new ClusterConfigurationException("the kubeconfig is not valid YAML or JSON");
        }
        if (config == null) {
            throw new ClusterConfigurationException("the kubeconfig is empty");
        }
        String contextName = config.getCurrentContext();
        Context context = pick(config.getContexts(), NamedContext::getName, NamedContext::getContext, contextName, "context");
        Cluster cluster = pick(config.getClusters(), NamedCluster::getName, NamedCluster::getCluster,
                context == null ? null : context.getCluster(), "cluster");
        AuthInfo user = pick(config.getUsers(), NamedAuthInfo::getName, NamedAuthInfo::getUser,
                context == null ? null : context.getUser(), "user");
        if (cluster == null) {
            throw new ClusterConfigurationException("the kubeconfig has no cluster");
        }
        refuse(cluster.getCertificateAuthority(), "certificate-authority (a file path; use certificate-authority-data)");
        refuse(cluster.getProxyUrl(), "proxy-url (Jenkins' proxy settings apply)");
        if (user != null) {
            refuse(user.getExec(), "exec (it would run a program on the Jenkins controller)");
            refuse(user.getAuthProvider(), "auth-provider (it would run a program on the Jenkins controller)");
            refuse(user.getTokenFile(), "tokenFile (a file path; put the token in the kubeconfig or use a secret-text credential)");
            refuse(user.getClientCertificate(), "client-certificate (a file path; use client-certificate-data)");
            refuse(user.getClientKey(), "client-key (a file path; use client-key-data)");
            refuse(user.getAs(), "as (impersonation is not supported)");
        }
        return new Entry(
                cluster.getServer(),
                cluster.getCertificateAuthorityData(),
                Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify()),
                context == null ? null : context.getNamespace(),
                user == null ? null : user.getToken(),
                user == null ? null : user.getClientCertificateData(),
                user == null ? null : user.getClientKeyData(),
                user == null ? null : user.getUsername(),
                user == null ? null : user.getPassword());
    }

    /** The named entry, or the only one when no name is given; null when there is none. */
    private static <N, T> T pick(List<N> entries, Function<N, String> name, Function<N, T> value, String wanted, String what) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        if (wanted == null || wanted.isEmpty()) {
            if (entries.size() == 1) {
                return value.apply(entries.get(0));
            }
            throw new ClusterConfigurationException("the kubeconfig has several " + what + "s and no current-context to choose one");
        }
        for (N n : entries) {
            if (wanted.equals(name.apply(n))) {
                return value.apply(n);
            }
        }
        throw new ClusterConfigurationException("the kubeconfig names a " + what + " it does not define");
    }

    private static void refuse(Object field, String what) {
        if (field != null && !(field instanceof String && ((String) field).isEmpty())) {
            throw new ClusterConfigurationException("the kubeconfig uses " + what + ", which the plugin does not allow");
        }
    }
}
