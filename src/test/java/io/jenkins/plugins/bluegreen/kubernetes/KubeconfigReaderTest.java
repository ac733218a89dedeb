package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeconfigReaderTest {

    static String kubeconfig(String clusterExtra, String userExtra) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "current-context: deploy\n"
                + "clusters:\n"
                + "- name: prod\n"
                + "  cluster:\n"
                + "    server: https://k8s.example.com:6443\n"
                + "    certificate-authority-data: Q0FEQVRB\n"
                + clusterExtra
                + "- name: other\n"
                + "  cluster:\n"
                + "    server: https://other.example.com\n"
                + "contexts:\n"
                + "- name: deploy\n"
                + "  context:\n"
                + "    cluster: prod\n"
                + "    user: deployer\n"
                + "    namespace: shop\n"
                + "users:\n"
                + "- name: deployer\n"
                + "  user:\n"
                + "    token: s3cr3t-token\n"
                + userExtra;
    }

    @Test
    void readsTheCurrentContext() {
        KubeconfigReader.Entry e = KubeconfigReader.read(kubeconfig("", ""));
        assertEquals("https://k8s.example.com:6443", e.server());
        assertEquals("Q0FEQVRB", e.certificateAuthorityData());
        assertEquals("shop", e.namespace());
        assertEquals("s3cr3t-token", e.token());
        assertFalse(e.insecureSkipTlsVerify());
        assertNull(e.clientKeyData());
        assertFalse(e.toString().contains("s3cr3t"), "toString must not show the token");
    }

    @Test
    void aSingleContextNeedsNoCurrentContext() {
        String config = "clusters:\n- name: c\n  cluster:\n    server: https://one.example.com\n"
                + "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n"
                + "users:\n- name: u\n  user:\n    username: admin\n    password: pw\n";
        KubeconfigReader.Entry e = KubeconfigReader.read(config);
        assertEquals("https://one.example.com", e.server());
        assertEquals("admin", e.username());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|'    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n'|exec",
        "''|'    auth-provider:\n      name: gcp\n'|auth-provider",
        "''|'    tokenFile: /var/run/secrets/token\n'|tokenFile",
        "''|'    client-certificate: /etc/ssl/client.crt\n'|client-certificate",
        "''|'    client-key: /etc/ssl/client.key\n'|client-key",
        "'    certificate-authority: /etc/kubernetes/ca.crt\n'|''|certificate-authority",
    })
    void refusesAnythingThatRunsProgramsOrReadsControllerFiles(String clusterExtra, String userExtra, String field) {
        ClusterConfigurationException e = assertThrows(ClusterConfigurationException.class,
                () -> KubeconfigReader.read(kubeconfig(clusterExtra, userExtra)));
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void brokenYamlIsReportedWithoutQuotingIt() {
        ClusterConfigurationException e = assertThrows(ClusterConfigurationException.class,
                () -> KubeconfigReader.read("users: [ { token: s3cr3t-token\n"));
        assertEquals("the kubeconfig is not valid YAML or JSON", e.getMessage());
    }

    @Test
    void customYamlTagsDoNotInstantiateAnything() {
        String config = "clusters: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n";
        assertThrows(ClusterConfigurationException.class, () -> KubeconfigReader.read(config));
    }

    @Test
    void aMissingContextOrClusterIsNamed() {
        String config = kubeconfig("", "").replace("current-context: deploy", "current-context: nope");
        assertEquals("the kubeconfig names a context it does not define",
                assertThrows(ClusterConfigurationException.class, () -> KubeconfigReader.read(config)).getMessage());
        assertEquals("the kubeconfig is empty",
                assertThrows(ClusterConfigurationException.class, () -> KubeconfigReader.read("  ")).getMessage());
    }
}
