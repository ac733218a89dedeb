package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesClientsTest {

    private KubernetesMockServer server;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.destroy();
    }

    static String testCaPem() throws IOException {
        try (InputStream in = KubernetesClientsTest.class.getResourceAsStream("/io/jenkins/plugins/bluegreen/test-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private ClusterAccess access(ClusterAuth auth) {
        return new ClusterAccess(URI.create(server.url("/").replaceAll("/$", "")), null, false, "shop", auth, Duration.ofSeconds(5));
    }

    @Test
    void configUsesOnlyWhatItIsGiven() throws IOException {
        System.setProperty("kubernetes.master", "https://controller-own.example.com");
        System.setProperty("kubernetes.auth.token", "controller-token");
        try {
            ClusterAccess access = new ClusterAccess(URI.create("https://k8s.example.com:6443"), testCaPem(), false, "shop",
                    new ClusterAuth.Token("deploy-token"), Duration.ofSeconds(7));
            Config c = KubernetesClients.config(access);
            assertEquals("https://k8s.example.com:6443/", c.getMasterUrl());
            assertEquals("deploy-token", c.getOauthToken());
            assertEquals("shop", c.getNamespace());
            assertEquals(7000, c.getRequestTimeout());
            assertFalse(c.isTrustCerts());
            assertEquals(testCaPem().trim(), new String(Base64.getDecoder().decode(c.getCaCertData()), StandardCharsets.US_ASCII));
        } finally {
            System.clearProperty("kubernetes.master");
            System.clearProperty("kubernetes.auth.token");
        }
    }

    @Test
    void aKubeconfigSuppliesServerCaNamespaceAndUser() {
        String kubeconfig = KubeconfigReaderTest.kubeconfig("", "");
        ClusterAccess access = new ClusterAccess(null, null, false, null, new ClusterAuth.Kubeconfig(kubeconfig), null);
        Config c = KubernetesClients.config(access);
        assertEquals("https://k8s.example.com:6443/", c.getMasterUrl());
        assertEquals("Q0FEQVRB", c.getCaCertData());
        assertEquals("shop", c.getNamespace());
        assertEquals("s3cr3t-token", c.getOauthToken());
    }

    @Test
    void skippingTlsVerificationIsAnExplicitOptIn() {
        String insecure = KubeconfigReaderTest.kubeconfig("    insecure-skip-tls-verify: true\n", "");
        ClusterConfigurationException e = assertThrows(ClusterConfigurationException.class, () -> KubernetesClients.config(
                new ClusterAccess(null, null, false, null, new ClusterAuth.Kubeconfig(insecure), null)));
        assertTrue(e.getMessage().contains("skip TLS verification"), e.getMessage());

        Config c = KubernetesClients.config(new ClusterAccess(null, null, true, null, new ClusterAuth.Kubeconfig(insecure), null));
        assertTrue(c.isTrustCerts());
        assertTrue(c.isDisableHostnameVerification());
    }

    @Test
    void withoutAServerThereIsNoFallback() {
        String noServer = "users:\n- name: u\n  user:\n    token: t\n";
        ClusterConfigurationException e = assertThrows(ClusterConfigurationException.class, () -> KubernetesClients.config(
                new ClusterAccess(null, null, false, null, new ClusterAuth.Kubeconfig(noServer), null)));
        assertEquals("the kubeconfig has no cluster", e.getMessage());
    }

    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    private static Map<String, Object> review(boolean allowed) {
        return Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SelfSubjectAccessReview",
                "status", Map.of("allowed", allowed));
    }

    @Test
    void checkConnectionAsksWhetherTheCredentialsMayChangeDeployments() throws InterruptedException {
        server.expect().post().withPath(REVIEWS).andReturn(201, review(true)).always();
        // The mock answers /version itself with major 0, minor 0.
        assertEquals("v0.0", KubernetesClients.checkConnection(access(new ClusterAuth.Token("deploy-token"))));
        RecordedRequest version = server.takeRequest();
        assertEquals("/version", version.getPath());
        RecordedRequest ask = server.takeRequest();
        assertEquals(REVIEWS, ask.getPath());
        assertEquals("Bearer deploy-token", ask.getHeader("Authorization"));
        String body = ask.getBody().readUtf8();
        assertTrue(body.contains("\"namespace\":\"shop\"") && body.contains("\"verb\":\"patch\"")
                && body.contains("\"resource\":\"deployments\""), body);
    }

    @Test
    void credentialsThatMayNotDeployAreReported() {
        server.expect().post().withPath(REVIEWS).andReturn(201, review(false)).always();
        KubernetesClients.ConnectionCheckException e = assertThrows(KubernetesClients.ConnectionCheckException.class,
                () -> KubernetesClients.checkConnection(access(new ClusterAuth.Token("deploy-token"))));
        assertEquals("connected to Kubernetes v0.0, but the credentials may not change Deployments in namespace 'shop'",
                e.getMessage());
    }

    @Test
    void refusedCredentialsAreReportedByStatusOnly() {
        server.expect().post().withPath(REVIEWS)
                .andReturn(401, Map.of("kind", "Status", "message", "token deploy-token is not valid")).always();
        KubernetesClients.ConnectionCheckException e = assertThrows(KubernetesClients.ConnectionCheckException.class,
                () -> KubernetesClients.checkConnection(access(new ClusterAuth.Token("deploy-token"))));
        assertEquals("the API server refused the credentials (HTTP 401)", e.getMessage());
        assertFalse(e.getMessage().contains("deploy-token"));
    }

    @Test
    void anUnreachableServerIsNamedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ClusterAccess access = new ClusterAccess(URI.create("http://127.0.0.1:" + closedPort), null, false, null,
                new ClusterAuth.Token("t"), Duration.ofSeconds(3));
        KubernetesClients.ConnectionCheckException e = assertThrows(KubernetesClients.ConnectionCheckException.class,
                () -> KubernetesClients.checkConnection(access));
        assertTrue(e.getMessage().startsWith("cannot reach the API server"), e.getMessage());
    }

    @Test
    void secretsNeverShowInToString() {
        assertFalse(new ClusterAuth.Token("deploy-token").toString().contains("deploy-token"));
        assertFalse(new ClusterAuth.Kubeconfig("token: deploy-token").toString().contains("deploy-token"));
        assertFalse(access(new ClusterAuth.Token("deploy-token")).toString().contains("deploy-token"));
        assertNull(KubernetesClients.config(access(new ClusterAuth.Token("x"))).getUsername());
    }
}
