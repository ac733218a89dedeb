package io.jenkins.plugins.bluegreen.lab;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * TEST CODE: what the Jenkins lab prints for the Jenkins that uses it: a Configuration-as-Code snippet and a
 * script-console snippet, each creating the token as a secret-text credential and the cluster and the Prometheus
 * named {@value #NAME} of the plugin's global configuration ({@code unclassified: blueGreenDeployment}).
 */
final class LabSnippets {

    static final String NAME = "lab";
    static final String CREDENTIALS_ID = "bluegreen-lab-token";

    private LabSnippets() {
    }

    /** A fresh lab token. The mock API server accepts any bearer token: this one only makes the set-up realistic. */
    static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "lab-" + HexFormat.of().formatHex(bytes);
    }

    /** For {@code jenkins.yaml}. It sets the whole lists of clusters and Prometheus servers: merge with your own. */
    static String configurationAsCode(URI apiServer, String namespace, URI prometheus, String token) {
        return "credentials:\n"
                + "  system:\n"
                + "    domainCredentials:\n"
                + "      - credentials:\n"
                + "          - string:\n"
                + "              scope: GLOBAL\n"
                + "              id: " + CREDENTIALS_ID + "\n"
                + "              description: \"Blue-green lab: API server token\"\n"
                + "              secret: \"" + token + "\"\n"
                + "unclassified:\n"
                + "  blueGreenDeployment:\n"
                + "    clusters:\n"
                + "      - name: " + NAME + "\n"
                + "        serverUrl: " + apiServer + "\n"
                + "        credentialsId: " + CREDENTIALS_ID + "\n"
                + "        namespace: " + namespace + "\n"
                + "    prometheusServers:\n"
                + "      - name: " + NAME + "\n"
                + "        url: " + prometheus + "\n";
    }

    /** For Manage Jenkins » Script Console: adds or replaces the credential and the entries named lab, keeps the rest. */
    static String scriptConsole(URI apiServer, String namespace, URI prometheus, String token) {
        return "import com.cloudbees.plugins.credentials.CredentialsScope\n"
                + "import com.cloudbees.plugins.credentials.SystemCredentialsProvider\n"
                + "import com.cloudbees.plugins.credentials.domains.Domain\n"
                + "import hudson.util.Secret\n"
                + "import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration\n"
                + "import io.jenkins.plugins.bluegreen.config.KubernetesCluster\n"
                + "import io.jenkins.plugins.bluegreen.config.PrometheusServer\n"
                + "import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl\n"
                + "\n"
                + "def store = SystemCredentialsProvider.getInstance().getStore()\n"
                + "def token = new StringCredentialsImpl(CredentialsScope.GLOBAL, '" + CREDENTIALS_ID + "',\n"
                + "        'Blue-green lab: API server token', Secret.fromString('" + token + "'))\n"
                + "def old = store.getCredentials(Domain.global()).find { it.id == token.id }\n"
                + "if (old) {\n"
                + "    store.updateCredentials(Domain.global(), old, token)\n"
                + "} else {\n"
                + "    store.addCredentials(Domain.global(), token)\n"
                + "}\n"
                + "\n"
                + "def config = BlueGreenGlobalConfiguration.get()\n"
                + "def cluster = new KubernetesCluster('" + NAME + "', '" + apiServer + "')\n"
                + "cluster.credentialsId = token.id\n"
                + "cluster.namespace = '" + namespace + "'\n"
                + "config.clusters = config.clusters.findAll { it.name != '" + NAME + "' } + [cluster]\n"
                + "config.prometheusServers = config.prometheusServers.findAll { it.name != '" + NAME + "' } +\n"
                + "        [new PrometheusServer('" + NAME + "', '" + prometheus + "')]\n"
                + "println \"cluster '" + NAME + "' and Prometheus '" + NAME + "' configured\"\n";
    }
}
