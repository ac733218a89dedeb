package io.jenkins.plugins.bluegreen.config;

import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.ADMIN;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hudson.model.Item;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep;
import io.jenkins.plugins.bluegreen.steps.ChatNotification;
import io.jenkins.plugins.bluegreen.steps.RollbackStep;
import io.jenkins.plugins.bluegreen.steps.ShiftTrafficStep;
import io.jenkins.plugins.bluegreen.steps.VerifyMetricsStep;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;

/**
 * Every web method of the global configuration and of the step descriptors: {@code @POST}, and a user with only
 * Overall/Read learns no credential ID or configured name, gets no validation answer that needs a lookup and makes
 * Jenkins connect nowhere.
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

    /** The step descriptors, whose web methods serve the Snippet Generator of a job (or of the root). */
    private static final List<Class<?>> STEP_DESCRIPTORS = List.of(RollbackStep.DescriptorImpl.class,
            ShiftTrafficStep.DescriptorImpl.class, VerifyMetricsStep.DescriptorImpl.class, BlueGreenDeployStep.DescriptorImpl.class,
            ChatNotification.DescriptorImpl.class);

    /** The public {@code do*} methods Stapler serves, declared by the class or the plugin's base descriptors. */
    private static List<Method> webMethods(Class<?> c) {
        return Arrays.stream(c.getMethods())
                .filter(m -> m.getName().startsWith("do") && m.getDeclaringClass().getName().startsWith("io.jenkins.plugins.bluegreen"))
                .sorted(Comparator.comparing(Method::getName))
                .collect(Collectors.toList());
    }

    private static boolean takesItem(Method m) {
        return Arrays.stream(m.getParameters())
                .anyMatch(p -> p.getType() == Item.class && p.isAnnotationPresent(AncestorInPath.class));
    }

    @Test
    void everyWebMethodRequiresPost() {
        List<Class<?>> all = new ArrayList<>(List.of(KubernetesCluster.DescriptorImpl.class, PrometheusServer.DescriptorImpl.class,
                AlertmanagerServer.DescriptorImpl.class, BlueGreenGlobalConfiguration.class));
        all.addAll(STEP_DESCRIPTORS);
        for (Class<?> c : all) {
            for (Method m : webMethods(c)) {
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
            ListBoxModel a = support.alertmanagerDescriptor.doFillCredentialsIdItems(prometheusUrl(), "prom-basic");
            assertEquals(List.of("k8s-token"), values(k));
            assertEquals(List.of(""), values(p));
            assertEquals(List.of("prom-basic"), values(a));
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
            assertEquals(List.of("", "k8s-token", "prom-basic", "prom-token"),
                    values(support.alertmanagerDescriptor.doFillCredentialsIdItems(prometheusUrl(), "")));
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
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckRequestTimeoutSeconds("0").kind);
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckCredentialsId(kubernetesUrl(), "probe-id").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckUrl("ftp://x").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("0").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckCredentialsId(prometheusUrl(), "probe-id").kind);
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckName("").kind);
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckUrl("file:///etc/alertmanager").kind);
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckRequestTimeoutSeconds("0").kind);
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckCredentialsId(prometheusUrl(), "probe-id").kind);
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
                    support.clusterDescriptor.doCheckRequestTimeoutSeconds("0").getMessage());
            assertEquals(FormValidation.Kind.OK, support.clusterDescriptor.doCheckRequestTimeoutSeconds("45").kind);
            assertEquals("Enter a whole number of seconds from 1 to 300.",
                    support.prometheusDescriptor.doCheckRequestTimeoutSeconds("301").getMessage());
            assertEquals(FormValidation.Kind.ERROR, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("ten").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckRequestTimeoutSeconds("30").kind);
            assertEquals(FormValidation.Kind.OK, support.prometheusDescriptor.doCheckCredentialsId(prometheusUrl(), "").kind);
            assertEquals("A name is required.", support.alertmanagerDescriptor.doCheckName("").getMessage());
            assertEquals("Only http:// and https:// URLs are allowed.",
                    support.alertmanagerDescriptor.doCheckUrl("file:///etc/alertmanager").getMessage());
            assertEquals("Enter a whole number of seconds from 1 to 300.",
                    support.alertmanagerDescriptor.doCheckRequestTimeoutSeconds("0").getMessage());
            assertEquals("Credentials 'kubeconfig' are not of a kind this server accepts.",
                    support.alertmanagerDescriptor.doCheckCredentialsId(prometheusUrl(), "kubeconfig").getMessage());
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckCredentialsId(prometheusUrl(), "prom-token").kind);
            assertEquals(FormValidation.Kind.OK, support.alertmanagerDescriptor.doCheckCredentialsId(prometheusUrl(), "").kind);
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

    /**
     * Drop-downs of a fixed list, which reveal nothing a reader could not read in the plugin's source (the security
     * scan's own rule for doFill methods): they take only the field's current value and need no permission. Anything
     * listed here must answer every user the same (see {@link #aFixedListIsTheSameForEveryoneAndLooksNothingUp}).
     */
    private static final List<String> FIXED_LISTS = List.of("BlueGreenDeployStep.doFillRouterItems",
            "ChatNotification.doFillFormatItems");

    private static boolean onlyTakesTheValue(Method m) {
        return onlyTakes(m, "value");
    }

    /** A fill method's one parameter is named after its field, e.g. {@code doFillRouterItems(String router)}. */
    private static boolean onlyTakesItsField(Method m) {
        String field = m.getName().substring("doFill".length(), m.getName().length() - "Items".length());
        return onlyTakes(m, field.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + field.substring(1));
    }

    private static boolean onlyTakes(Method m, String name) {
        return m.getParameterCount() == 1 && m.getParameters()[0].getName().equals(name) && m.getParameterTypes()[0] == String.class;
    }

    /**
     * A step's web method either works in the context of its job ({@code @AncestorInPath Item}, so it can check
     * permissions there), is a pure format check of the one {@code value} it is given, or fills a fixed list.
     */
    @Test
    void everyStepWebMethodHasAContextOrOnlyChecksAFormat() {
        for (Class<?> c : STEP_DESCRIPTORS) {
            assertFalse(webMethods(c).isEmpty(), c.getName());
            for (Method m : webMethods(c)) {
                String name = c.getEnclosingClass().getSimpleName() + "." + m.getName();
                boolean formatCheck = m.getName().startsWith("doCheck") && onlyTakesTheValue(m);
                boolean fixedList = m.getName().startsWith("doFill") && onlyTakesItsField(m) && FIXED_LISTS.contains(name);
                assertTrue(takesItem(m) || formatCheck || fixedList, name + " has no item context");
                assertTrue(!m.getName().startsWith("doFill") || takesItem(m) || fixedList, name);
            }
        }
    }

    @Test
    void aFixedListIsTheSameForEveryoneAndLooksNothingUp() {
        BlueGreenDeployStep.DescriptorImpl descriptor = new BlueGreenDeployStep.DescriptorImpl();
        List<String> forReader;
        List<String> forAdmin;
        try (ACLContext ignored = TestJenkins.as(READER)) {
            forReader = values(descriptor.doFillRouterItems("gateway"));
        }
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            forAdmin = values(descriptor.doFillRouterItems("gateway"));
        }
        assertEquals(List.of("istio", "gateway", "service"), forReader);
        assertEquals(forAdmin, forReader);
        assertEquals(0, support.credentials.lookups());
    }

    /**
     * Every step web method with a context, called by a user with only Overall/Read (so no Item/Extended Read and
     * no Credentials/Use Item on the job), in the job and at the root: the drop-downs give back the current value,
     * the checks answer OK, and no credentials are looked up.
     */
    @Test
    void aReaderGetsNothingFromTheStepForms() throws Exception {
        TestJob job = new TestJob(support.jenkins, "shop-deploy");
        int calls = 0;
        try (ACLContext ignored = TestJenkins.as(READER)) {
            for (Class<?> c : STEP_DESCRIPTORS) {
                Object descriptor = c.getConstructor().newInstance();
                for (Method m : webMethods(c)) {
                    if (!takesItem(m)) {
                        continue;
                    }
                    for (Item context : Arrays.asList(job, null)) {
                        Object[] args = Arrays.stream(m.getParameters())
                                .map(p -> p.getType() == Item.class ? context
                                        : p.getName().toLowerCase(Locale.ROOT).endsWith("url") ? kubernetesUrl() : "probe-id")
                                .toArray();
                        Object answer = m.invoke(descriptor, args);
                        String where = c.getSimpleName() + "." + m.getName() + (context == null ? " at the root" : " in a job");
                        if (answer instanceof ListBoxModel) {
                            assertEquals(List.of("probe-id"), values((ListBoxModel) answer), where);
                        } else {
                            assertEquals(FormValidation.Kind.OK, ((FormValidation) answer).kind, where);
                        }
                        calls++;
                    }
                }
            }
        }
        assertEquals(2 * (3 + 9 + 6 + 9 + 2), calls, "per step, in the job and at the root: two drop-downs and a credentials "
                + "check of the cluster, and of Prometheus for the gated steps (rollback, shiftTraffic, verifyMetrics, ...), and of "
                + "Alertmanager for the rollout steps (shiftTraffic, blueGreenDeploy), and the webhook credentials of chat(...)");
        assertEquals(0, support.credentials.lookups());
    }

    @Test
    void aJobConfigurerGetsTheClusterCredentialsFromTheStepForms() {
        TestJob job = new TestJob(support.jenkins, "shop-deploy");
        support.jenkins.grantOn(job, READER, Item.CONFIGURE);
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertEquals(List.of("", "k8s-token", "kubeconfig", "prom-token"),
                    values(new RollbackStep.DescriptorImpl().doFillCredentialsIdItems(job, kubernetesUrl(), "")));
            assertEquals(List.of("", "k8s-token", "kubeconfig", "prom-token"),
                    values(new ShiftTrafficStep.DescriptorImpl().doFillCredentialsIdItems(job, kubernetesUrl(), "")));
            assertEquals(FormValidation.Kind.WARNING,
                    new ShiftTrafficStep.DescriptorImpl().doCheckCredentialsId(job, kubernetesUrl(), "prom-basic").kind);
            assertEquals(List.of("k8s-token"),
                    values(new RollbackStep.DescriptorImpl().doFillCredentialsIdItems(null, kubernetesUrl(), "k8s-token")),
                    "Item/Configure on a job is no permission at the root");
        }
    }

    /** A chat notification offers only secret texts (the webhook URL), and only to whoever may configure the job. */
    @Test
    void theChatWebhookCredentialsAreSecretTextsForAJobConfigurerOnly() {
        TestJob job = new TestJob(support.jenkins, "shop-deploy");
        ChatNotification.DescriptorImpl chat = new ChatNotification.DescriptorImpl();
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertEquals(List.of("probe-id"), values(chat.doFillCredentialsIdItems(job, "probe-id")));
            assertEquals(FormValidation.Kind.OK, chat.doCheckCredentialsId(job, "prom-basic").kind);
        }
        assertEquals(0, support.credentials.lookups());
        support.jenkins.grantOn(job, READER, Item.CONFIGURE);
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertEquals(List.of("", "k8s-token", "prom-token"), values(chat.doFillCredentialsIdItems(job, "")));
            assertEquals(FormValidation.Kind.WARNING, chat.doCheckCredentialsId(job, "prom-basic").kind, "not a secret text");
            assertEquals(FormValidation.Kind.WARNING, chat.doCheckCredentialsId(job, "kubeconfig").kind, "not a secret text");
            assertEquals(FormValidation.Kind.OK, chat.doCheckCredentialsId(job, "prom-token").kind);
            assertEquals(FormValidation.Kind.ERROR, chat.doCheckCredentialsId(job, " ").kind, "required");
            assertEquals(List.of("slack", "teams", "json"), values(chat.doFillFormatItems("teams")));
        }
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).collect(Collectors.toList());
    }

}
