package io.jenkins.plugins.bluegreen.config;

import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.ADMIN;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;

/**
 * Every web method of the global configuration: {@code @POST}, and a user with only Overall/Read learns no
 * credential ID, gets no validation answer and makes Jenkins connect nowhere.
 */
class WebMethodSecurityTest {

    private ConfigTestSupport support;
    private HttpServer prometheus;
    private final AtomicInteger prometheusRequests = new AtomicInteger();
    private volatile String prometheusAnswer = "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\"}}";
    private volatile int prometheusStatus = 200;
    private KubernetesMockServer kubernetes;

    @BeforeEach
    void setUp() throws Exception {
        support = new ConfigTestSupport();
        prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        prometheus.createContext("/", exchange -> {
            prometheusRequests.incrementAndGet();
            byte[] body = prometheusAnswer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(prometheusStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        prometheus.start();
        kubernetes = new KubernetesMockServer(false);
        kubernetes.init(InetAddress.getLoopbackAddress(), 0);
        kubernetes.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReturn(201, Map.of("kind", "SelfSubjectAccessReview", "status", Map.of("allowed", true))).always();
    }

    @AfterEach
    void tearDown() {
        prometheus.stop(0);
        kubernetes.destroy();
    }

    private String prometheusUrl() {
        return "http://127.0.0.1:" + prometheus.getAddress().getPort();
    }

    private String kubernetesUrl() {
        return kubernetes.url("/").replaceAll("/$", "");
    }

    @Test
    void everyWebMethodRequiresPost() {
        for (Class<?> c : List.of(KubernetesCluster.DescriptorImpl.class, PrometheusServer.DescriptorImpl.class,
                BlueGreenGlobalConfiguration.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("do")) {
                    assertNotNull(m.getAnnotation(POST.class), c.getSimpleName() + "." + m.getName() + " lacks @POST");
                }
            }
        }
    }

    @Test
    void aReaderGetsOnlyTheCurrentValueOfACredentialsDropDown() {
        try (ACLContext ignored = TestJenkins.as(READER)) {
            ListBoxModel k = support.clusterDescriptor.doFillCredentialsIdItems(kubernetesUrl(), "k8s-token");
            ListBoxModel p = support.prometheusDescriptor.doFillCredentialsIdItems(prometheusUrl(), "");
            assertEquals(List.of("k8s-token"), values(k));
            assertEquals(List.of(""), values(p));
        }
        assertEquals(0, support.credentials.lookups(), "no credentials may be looked up for a reader");
    }

    @Test
    void anAdministratorSeesTheCredentialsOfTheKindsEachServerTakes() {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            assertEquals(List.of("", "k8s-token", "kubeconfig", "prom-token"),
                    values(support.clusterDescriptor.doFillCredentialsIdItems(kubernetesUrl(), "")));
            assertEquals(List.of("", "k8s-token", "prom-basic", "prom-token"),
                    values(support.prometheusDescriptor.doFillCredentialsIdItems(prometheusUrl(), "")));
            // A value that no longer exists stays visible so that saving does not silently drop it.
            assertTrue(values(support.clusterDescriptor.doFillCredentialsIdItems(kubernetesUrl(), "gone")).contains("gone"));
        }
    }

    @Test
    void aReaderGetsNoValidationAnswers() {
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckName("").kind);
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckServerUrl("file:///etc/passwd").kind);
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckNamespace("Not_Valid").kind);
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckCaCertificate("garbage").kind);
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "probe-id").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckUrl("ftp://x").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("0").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckCredentialsId(prometheusUrl(), "probe-id").kind);
        }
        assertEquals(0, support.credentials.lookups());
    }

    @Test
    void anAdministratorGetsTheValidationAnswers() {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            assertEquals("A name is required.", support.clusterDescriptor.doCheckName(" ").getMessage());
            assertEquals("Only http:// and https:// URLs are allowed.",
                    support.clusterDescriptor.doCheckServerUrl("file:///etc/passwd").getMessage());
            assertEquals(FormValidation.Kind.ERROR, support.clusterDescriptor.doCheckNamespace("Not_Valid").kind);
            assertEquals(FormValidation.Kind.ERROR, support.clusterDescriptor.doCheckCaCertificate("garbage").kind);
            assertEquals("No credentials with ID 'probe-id' are available here.",
                    support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "probe-id").getMessage());
            assertEquals("Credentials 'prom-basic' are not of a kind this server accepts.",
                    support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "prom-basic").getMessage());
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "kubeconfig").kind);
            assertEquals(FormValidation.Kind.ERROR, support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "").kind);
            assertEquals("Enter a whole number of seconds from 1 to 300.",
                    support.prometheusDescriptor.doCheckRequestTimeoutSeconds("301").getMessage());
            assertEquals(FormValidation.Kind.ERROR, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("ten").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("30").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckCredentialsId(prometheusUrl(), "").kind);
        }
    }

    @Test
    void aReaderCannotMakeJenkinsConnectAnywhere() throws InterruptedException {
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertThrows(AccessDeniedException.class,
                    () -> support.prometheusDescriptor.doTestConnection(prometheusUrl(), "prom-token", "5"));
            assertThrows(AccessDeniedException.class,
                    () -> support.clusterDescriptor.doTestConnection(kubernetesUrl(), "k8s-token", null, null, false));
        }
        assertEquals(0, prometheusRequests.get());
        assertEquals(0, kubernetes.getRequestCount());
        assertEquals(0, support.credentials.lookups());
    }

    @Test
    void anAdministratorCanTestBothConnections() throws InterruptedException {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            FormValidation p = support.prometheusDescriptor.doTestConnection(prometheusUrl(), "prom-token", "5");
            assertEquals("Connected: Prometheus 2.42.0", p.getMessage(), p.getMessage());
            FormValidation k = support.clusterDescriptor.doTestConnection(kubernetesUrl(), "k8s-token", null, "shop", false);
            assertEquals("Connected: Kubernetes v0.0", k.getMessage(), k.getMessage());
        }
        assertEquals(1, prometheusRequests.get());
        kubernetes.takeRequest(); // /version
        assertEquals("Bearer " + ConfigTestSupport.TOKEN, kubernetes.takeRequest().getHeader("Authorization"));
    }

    @Test
    void aFailedConnectionTestEchoesNeitherTheSecretNorTheAnswer() {
        prometheusStatus = 500;
        prometheusAnswer = "proxy error, you sent Authorization: Bearer " + ConfigTestSupport.PROM_TOKEN;
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            FormValidation p = support.prometheusDescriptor.doTestConnection(prometheusUrl(), "prom-token", "5");
            assertEquals(FormValidation.Kind.ERROR, p.kind);
            assertFalse(p.getMessage().contains(ConfigTestSupport.PROM_TOKEN), p.getMessage());
            assertFalse(p.getMessage().contains("proxy error"), p.getMessage());

            FormValidation wrongScheme = support.prometheusDescriptor.doTestConnection("file:///etc/passwd", "prom-token", "5");
            assertEquals("Only http:// and https:// URLs are allowed.", wrongScheme.getMessage());

            FormValidation unknown = support.clusterDescriptor.doTestConnection(kubernetesUrl(), "nope", null, null, false);
            assertEquals("No credentials with ID 'nope' are available here.", unknown.getMessage());
        }
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).collect(Collectors.toList());
    }

}
