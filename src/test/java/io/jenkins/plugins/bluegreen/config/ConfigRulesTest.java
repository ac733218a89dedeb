package io.jenkins.plugins.bluegreen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules a cluster, Prometheus or Alertmanager entry must meet, whether it comes from the form or from
 * Configuration-as-Code.
 */
class ConfigRulesTest {

    @ParameterizedTest
    @CsvSource({
        "'', name, A name is required.",
        "'   ', name, A name is required.",
        "-prod, name, '''-prod'' is not a valid name: use up to 63 letters, digits, ''.'', ''_'' or ''-'', starting with a letter or digit.'",
        "prod eu, name, '''prod eu'' is not a valid name: use up to 63 letters, digits, ''.'', ''_'' or ''-'', starting with a letter or digit.'",
    })
    void namesAreRequiredAndSimple(String name, String field, String message) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new KubernetesCluster(name, "https://k8s.example.com"));
        assertEquals(field, e.getField());
        assertEquals(message, e.getMessage());
        assertEquals(message, assertThrows(InvalidConfigurationException.class,
                () -> new PrometheusServer(name, "http://prometheus:9090")).getMessage());
        assertEquals(message, assertThrows(InvalidConfigurationException.class,
                () -> new AlertmanagerServer(name, "http://alertmanager:9093")).getMessage());
    }

    @Test
    void aLongNameIsRefusedAndNamesAreTrimmed() {
        assertThrows(InvalidConfigurationException.class, () -> new KubernetesCluster("a".repeat(64), "https://k"));
        assertEquals("prod-eu_1.b", new KubernetesCluster("  prod-eu_1.b ", "https://k8s.example.com").getName());
    }

    @ParameterizedTest
    @CsvSource({
        "'', A URL is required.",
        "file:///etc/kubernetes/admin.conf, Only http:// and https:// URLs are allowed.",
        "ftp://k8s.example.com, Only http:// and https:// URLs are allowed.",
        "ldap://k8s.example.com, Only http:// and https:// URLs are allowed.",
        "https://admin:pw@k8s.example.com, The URL must not contain a user name or password; choose credentials instead.",
        "https://k8s.example.com/?token=x, The URL must not contain a query (?) or a fragment (#).",
        "http:///nohost, The URL has no host.",
        "https://bad host, This is not a well-formed URL.",
    })
    void urlsMustBeHttpOrHttpsWithoutSecrets(String url, String message) {
        InvalidConfigurationException k = assertThrows(InvalidConfigurationException.class, () -> new KubernetesCluster("prod", url));
        assertEquals("serverUrl", k.getField());
        assertEquals(message, k.getMessage());
        InvalidConfigurationException p = assertThrows(InvalidConfigurationException.class, () -> new PrometheusServer("main", url));
        assertEquals("url", p.getField());
        assertEquals(message, p.getMessage());
        InvalidConfigurationException a = assertThrows(InvalidConfigurationException.class, () -> new AlertmanagerServer("main", url));
        assertEquals("url", a.getField());
        assertEquals(message, a.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop", "shop_eu", "-shop", "shop-", "a.b"})
    void namespacesAreDnsLabels(String namespace) {
        KubernetesCluster c = new KubernetesCluster("prod", "https://k8s.example.com");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> c.setNamespace(namespace));
        assertEquals("namespace", e.getField());
        assertTrue(e.getMessage().contains("is not a valid namespace"));
    }

    @Test
    void optionalValuesMayBeEmpty() {
        KubernetesCluster c = new KubernetesCluster("prod", "https://k8s.example.com");
        c.setNamespace(" ");
        c.setCaCertificate("");
        c.setCredentialsId("  ");
        assertNull(c.getNamespace());
        assertNull(c.getCaCertificate());
        assertNull(c.getCredentialsId());
        assertFalse(c.isSkipTlsVerify(), "TLS verification is on unless asked otherwise");
    }

    @Test
    void aCaCertificateMustBePem() throws IOException {
        KubernetesCluster c = new KubernetesCluster("prod", "https://k8s.example.com");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> c.setCaCertificate("MIIB..."));
        assertEquals("caCertificate", e.getField());
        String broken = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
        assertThrows(InvalidConfigurationException.class, () -> c.setCaCertificate(broken));
        c.setCaCertificate(testCa());
        assertEquals(testCa().trim(), c.getCaCertificate());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 301, 100000})
    void prometheusAndAlertmanagerTimeoutsAreBounded(int seconds) {
        for (MonitoringServer p : new MonitoringServer[] {new PrometheusServer("main", "http://prometheus:9090"),
                new AlertmanagerServer("main", "http://alertmanager:9093")}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> p.setRequestTimeoutSeconds(seconds));
            assertEquals("requestTimeoutSeconds", e.getField());
            assertEquals("Enter a whole number of seconds from 1 to 300.", e.getMessage());
            assertEquals(MonitoringServer.DEFAULT_TIMEOUT_SECONDS, p.getRequestTimeoutSeconds());
        }
    }

    @Test
    void entriesBuildTheEngineSettings() throws IOException {
        KubernetesCluster c = new KubernetesCluster("prod", "https://k8s.example.com:6443/");
        c.setNamespace("shop");
        c.setCaCertificate(testCa());
        assertEquals("https://k8s.example.com:6443/", c.access(new ClusterAuth.Token("t")).serverUrl().toString());
        assertEquals("shop", c.access(new ClusterAuth.Token("t")).namespace());

        PrometheusServer p = new PrometheusServer("main", "http://prometheus:9090/");
        p.setRequestTimeoutSeconds(30);
        assertEquals("http://prometheus:9090", p.endpoint(new HttpAuth.None()).url().toString());
        assertEquals(Duration.ofSeconds(30), p.endpoint(new HttpAuth.None()).requestTimeout());

        AlertmanagerServer a = new AlertmanagerServer("main", " https://am.example.com/alertmanager/ ");
        a.setCredentialsId(" am-token ");
        assertEquals("https://am.example.com/alertmanager", a.endpoint(new HttpAuth.None()).url().toString());
        assertEquals(Duration.ofSeconds(10), a.endpoint(new HttpAuth.None()).requestTimeout());
        assertEquals("am-token", a.getCredentialsId());
        assertEquals("AlertmanagerServer[main, https://am.example.com/alertmanager/]", a.toString());
    }

    private static String testCa() throws IOException {
        try (InputStream in = ConfigRulesTest.class.getResourceAsStream("/io/jenkins/plugins/bluegreen/test-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
