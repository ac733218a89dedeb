package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.testinfra.DataBoundNames;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins lab's snippets configure what the plugin really binds: the Configuration-as-Code keys are the
 * {@code @DataBoundConstructor} parameters and {@code @DataBoundSetter}s of the configuration classes under their
 * symbol, and the script console calls setters that exist. Both create the credential the cluster names.
 */
class LabSnippetsTest {

    private static final URI API = URI.create("http://127.0.0.1:18080");
    private static final URI PROMETHEUS = URI.create("http://127.0.0.1:18090");

    @Test
    @SuppressWarnings("unchecked")
    void configurationAsCodeUsesTheSymbolAndTheBoundNames() throws Exception {
        String yaml = LabSnippets.configurationAsCode(API, "shop", PROMETHEUS, "lab-t0ken");
        Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);

        String symbol = BlueGreenGlobalConfiguration.class.getAnnotation(Symbol.class).value()[0];
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) root.get("unclassified")).get(symbol);
        assertTrue(DataBoundNames.of(BlueGreenGlobalConfiguration.class).containsAll(config.keySet()), config.keySet().toString());

        Map<String, Object> cluster = ((List<Map<String, Object>>) config.get("clusters")).get(0);
        assertTrue(DataBoundNames.of(KubernetesCluster.class).containsAll(cluster.keySet()), cluster.keySet().toString());
        assertEquals(Map.of("name", "lab", "serverUrl", API.toString(), "credentialsId", LabSnippets.CREDENTIALS_ID,
                "namespace", "shop"), cluster);
        Map<String, Object> prometheus = ((List<Map<String, Object>>) config.get("prometheusServers")).get(0);
        assertTrue(DataBoundNames.of(PrometheusServer.class).containsAll(prometheus.keySet()), prometheus.keySet().toString());
        assertEquals(Map.of("name", "lab", "url", PROMETHEUS.toString()), prometheus);

        Map<String, Object> credential = ((List<Map<String, Map<String, Object>>>) ((List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) root.get("credentials")).get("system")).get("domainCredentials"))
                .get(0).get("credentials")).get(0).get("string");
        assertEquals(Map.of("scope", "GLOBAL", "id", LabSnippets.CREDENTIALS_ID, "description", "Blue-green lab: API server token",
                "secret", "lab-t0ken"), credential);
    }

    @Test
    void theScriptConsoleSnippetCallsWhatExists() throws Exception {
        String groovy = LabSnippets.scriptConsole(API, "shop", PROMETHEUS, "lab-t0ken");
        assertTrue(groovy.contains("new KubernetesCluster('lab', '" + API + "')"), groovy);
        assertTrue(groovy.contains("new PrometheusServer('lab', '" + PROMETHEUS + "')"), groovy);
        assertTrue(groovy.contains("Secret.fromString('lab-t0ken')"), groovy);
        // Groovy property writes: cluster.credentialsId = ..., config.clusters = ...
        KubernetesCluster.class.getMethod("setCredentialsId", String.class);
        KubernetesCluster.class.getMethod("setNamespace", String.class);
        BlueGreenGlobalConfiguration.class.getMethod("setClusters", List.class);
        BlueGreenGlobalConfiguration.class.getMethod("setPrometheusServers", List.class);
        BlueGreenGlobalConfiguration.class.getMethod("get");
        new KubernetesCluster("lab", API.toString()).setNamespace("shop");
        new PrometheusServer("lab", PROMETHEUS.toString());
    }

    @Test
    void everyLabGetsAFreshToken() {
        String token = LabSnippets.newToken();
        assertTrue(token.matches("lab-[0-9a-f]{48}"), token);
        assertNotEquals(token, LabSnippets.newToken());
    }
}
