package io.jenkins.plugins.bluegreen.config;

import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.KUBECONFIG;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.PROM_PASSWORD;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.PROM_TOKEN;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAccess;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterAuth;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Build-time resolution of cluster, Prometheus and Alertmanager access: by configured name or inline, credentials
 * through the run.
 */
class ConnectionsTest {

    private static final String RECORDED_TOKEN = "rec0rded-t0ken-s3cr3t";

    private static String ca;

    private ConfigTestSupport support;
    private BlueGreenGlobalConfiguration config;
    private TestRun run;
    private final List<Run<?, ?>> contextualizedFor = new CopyOnWriteArrayList<>();
    private final List<String> messages = new ArrayList<>();

    @BeforeAll
    static void readCa() throws Exception {
        try (InputStream in = ConnectionsTest.class.getResourceAsStream("/io/jenkins/plugins/bluegreen/test-ca.pem")) {
            ca = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        support = new ConfigTestSupport();
        support.credentials.add(TestCredentials.secretTextRecordingRuns("recorded", RECORDED_TOKEN, contextualizedFor));
        config = new BlueGreenGlobalConfiguration();
        support.jenkins.register(BlueGreenGlobalConfiguration.class, config);

        KubernetesCluster prod = new KubernetesCluster("prod-eu", "https://k8s.example.com:6443");
        prod.setCredentialsId("k8s-token");
        prod.setCaCertificate(ca);
        prod.setNamespace("shop");
        KubernetesCluster lab = new KubernetesCluster("lab", "https://lab.example.com");
        lab.setCredentialsId("kubeconfig");
        lab.setSkipTlsVerify(true);
        KubernetesCluster bare = new KubernetesCluster("bare", "https://bare.example.com");
        config.setClusters(List.of(prod, lab, bare));

        PrometheusServer main = new PrometheusServer("main", "https://prometheus.example.com");
        main.setCredentialsId("prom-token");
        main.setRequestTimeoutSeconds(20);
        PrometheusServer open = new PrometheusServer("open", "http://prometheus:9090");
        config.setPrometheusServers(List.of(main, open));

        AlertmanagerServer am = new AlertmanagerServer("main", "https://alertmanager.example.com/alertmanager");
        am.setCredentialsId("prom-token");
        am.setRequestTimeoutSeconds(20);
        config.setAlertmanagerServers(List.of(am, new AlertmanagerServer("open", "http://alertmanager:9093")));

        run = new TestJob(support.jenkins, "shop-deploy").newBuild();
    }

    /** No message of any test may carry a secret. */
    @AfterEach
    void noSecretInAnyMessage() {
        for (String m : messages) {
            for (String secret : List.of(TOKEN, PROM_TOKEN, PROM_PASSWORD, RECORDED_TOKEN, "kind: Config")) {
                assertFalse(m.contains(secret), m);
            }
        }
    }

    private String abort(Executable call) {
        String m = assertThrows(AbortException.class, call).getMessage();
        messages.add(m);
        return m;
    }

    @Test
    void namedClusterWithATokenTakesEverythingFromTheConfiguration() throws Exception {
        ClusterAccess access = Connections.cluster(run, "prod-eu", null, null, null);
        assertEquals(URI.create("https://k8s.example.com:6443"), access.serverUrl());
        assertEquals(ca.trim(), access.caCertificatePem().trim());
        assertEquals("shop", access.namespace());
        assertFalse(access.skipTlsVerify());
        assertEquals(new ClusterAuth.Token(TOKEN), access.auth());
        assertEquals(ClusterAccess.DEFAULT_REQUEST_TIMEOUT, access.requestTimeout());
    }

    @Test
    void namedClusterWithAKubeconfigAndItsTlsOptIn() throws Exception {
        ClusterAccess access = Connections.cluster(run, " LAB ", "", "", "");
        assertEquals(URI.create("https://lab.example.com"), access.serverUrl());
        assertTrue(access.skipTlsVerify());
        assertNull(access.caCertificatePem());
        assertNull(access.namespace());
        assertEquals(new ClusterAuth.Kubeconfig(KUBECONFIG), access.auth());
    }

    @Test
    void theStepsNamespaceWinsOverTheClustersDefault() throws Exception {
        ClusterAccess access = Connections.cluster(run, "prod-eu", null, null, "shop-canary");
        assertEquals("shop-canary", access.namespace());
        assertEquals(URI.create("https://k8s.example.com:6443"), access.serverUrl());
        assertEquals(ca.trim(), access.caCertificatePem().trim());
        assertEquals(new ClusterAuth.Token(TOKEN), access.auth());
    }

    @Test
    void aBadNamespaceIsRefused() {
        String m = abort(() -> Connections.cluster(run, "prod-eu", null, null, "Not_A_Namespace"));
        assertEquals(Messages.ConfigRules_NamespaceInvalid("Not_A_Namespace"), m);
    }

    @Test
    void inlineClusterVerifiesTlsAndTrustsNoExtraCa() throws Exception {
        ClusterAccess access = Connections.cluster(run, null, "https://inline.example.com", "k8s-token", "team-a");
        assertEquals(URI.create("https://inline.example.com"), access.serverUrl());
        assertFalse(access.skipTlsVerify());
        assertNull(access.caCertificatePem());
        assertEquals("team-a", access.namespace());
        assertEquals(new ClusterAuth.Token(TOKEN), access.auth());
    }

    @Test
    void inlineClusterNeedsCredentialsAndAGoodUrl() {
        assertEquals(Messages.Connections_InlineClusterWithoutCredentials(),
                abort(() -> Connections.cluster(run, null, "https://inline.example.com", " ", null)));
        assertEquals(Messages.ConfigRules_UrlScheme(),
                abort(() -> Connections.cluster(run, null, "file:///etc/kubernetes/admin.conf", "k8s-token", null)));
        assertEquals(Messages.ConfigRules_UrlUserInfo(),
                abort(() -> Connections.cluster(run, null, "https://admin:" + TOKEN + "@k8s.example.com", "k8s-token", null)));
    }

    @Test
    void exactlyOneOfNameAndServerUrl() {
        assertEquals(Messages.Connections_ClusterNameAndUrl(),
                abort(() -> Connections.cluster(run, "prod-eu", "https://k8s.example.com", "k8s-token", null)));
        assertEquals(Messages.Connections_ClusterMissing(), abort(() -> Connections.cluster(run, null, null, "k8s-token", null)));
        assertEquals(Messages.Connections_ClusterMissing(), abort(() -> Connections.cluster(run, " ", "", null, null)));
    }

    @Test
    void anUnknownClusterNameListsTheConfiguredOnes() {
        String m = abort(() -> Connections.cluster(run, "staging", null, null, null));
        assertEquals(Messages.Connections_UnknownCluster("staging", "bare, lab, prod-eu"), m);
        config.setClusters(List.of());
        assertEquals(Messages.Connections_UnknownCluster("staging", Messages.Connections_NoneConfigured()),
                abort(() -> Connections.cluster(run, "staging", null, null, null)));
    }

    @Test
    void aNamedClusterKeepsItsOwnCredentials() {
        assertEquals(Messages.Connections_ClusterCredentialsFromConfiguration("prod-eu"),
                abort(() -> Connections.cluster(run, "prod-eu", null, "kubeconfig", null)));
    }

    @Test
    void noCredentialsMeansNoAccessAndNoFallback() {
        assertEquals(Messages.Connections_ClusterWithoutCredentials("bare"),
                abort(() -> Connections.cluster(run, "bare", null, null, null)));
    }

    @Test
    void anUnknownCredentialsIdIsNamedAndNothingElse() {
        String m = abort(() -> Connections.cluster(run, null, "https://inline.example.com", "no-such-id", null));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_NotFound("no-such-id"), m);
        assertFalse(m.contains("inline.example.com"), m);
        String p = abort(() -> Connections.prometheus(run, null, "http://prometheus:9090", "gone"));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_NotFound("gone"), p);
    }

    @Test
    void credentialsOfTheWrongKindAreNamedByIdOnly() {
        String m = abort(() -> Connections.cluster(run, null, "https://inline.example.com", "prom-basic", null));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_WrongClusterType("prom-basic"), m);
        String p = abort(() -> Connections.prometheus(run, null, "http://prometheus:9090", "kubeconfig"));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_WrongPrometheusType("kubeconfig"), p);
    }

    @Test
    void credentialsAreLookedUpThroughTheRun() throws Exception {
        int before = support.credentials.lookups();
        ClusterAccess access = Connections.cluster(run, null, "https://inline.example.com", "recorded", null);
        assertEquals(new ClusterAuth.Token(RECORDED_TOKEN), access.auth());
        assertTrue(support.credentials.lookups() > before);
        assertEquals(1, contextualizedFor.size());
        assertSame(run, contextualizedFor.get(0));

        Connections.prometheus(run, null, "http://prometheus:9090", "recorded");
        assertEquals(List.of(run, run), contextualizedFor);
    }

    @Test
    void namedPrometheusWithABearerTokenAndItsTimeout() throws Exception {
        PrometheusEndpoint endpoint = Connections.prometheus(run, "MAIN", null, null).endpoint();
        assertEquals(URI.create("https://prometheus.example.com"), endpoint.url());
        assertEquals(new HttpAuth.Bearer(PROM_TOKEN), endpoint.auth());
        assertEquals(Duration.ofSeconds(20), endpoint.requestTimeout());
    }

    @Test
    void namedPrometheusWithoutCredentials() throws Exception {
        PrometheusEndpoint endpoint = Connections.prometheus(run, "open", " ", "").endpoint();
        assertEquals(URI.create("http://prometheus:9090"), endpoint.url());
        assertInstanceOf(HttpAuth.None.class, endpoint.auth());
        assertEquals(Duration.ofSeconds(PrometheusServer.DEFAULT_TIMEOUT_SECONDS), endpoint.requestTimeout());
    }

    @Test
    void inlinePrometheusWithBasicAuthOrNone() throws Exception {
        PrometheusEndpoint basic = Connections.prometheus(run, null, "https://metrics.example.com", "prom-basic").endpoint();
        assertEquals(URI.create("https://metrics.example.com"), basic.url());
        assertEquals(new HttpAuth.Basic("grafana", PROM_PASSWORD), basic.auth());
        assertEquals(Duration.ofSeconds(PrometheusServer.DEFAULT_TIMEOUT_SECONDS), basic.requestTimeout());

        PrometheusEndpoint none = Connections.prometheus(run, null, "http://prometheus:9090", null).endpoint();
        assertInstanceOf(HttpAuth.None.class, none.auth());
    }

    @Test
    void prometheusNeedsExactlyOneOfNameAndUrlAndAKnownName() {
        assertEquals(Messages.Connections_PrometheusNameAndUrl(),
                abort(() -> Connections.prometheus(run, "main", "http://prometheus:9090", null)));
        assertEquals(Messages.Connections_PrometheusMissing(), abort(() -> Connections.prometheus(run, null, null, "prom-token")));
        assertEquals(Messages.Connections_UnknownPrometheus("thanos", "main, open"),
                abort(() -> Connections.prometheus(run, "thanos", null, null)));
        assertEquals(Messages.Connections_PrometheusCredentialsFromConfiguration("main"),
                abort(() -> Connections.prometheus(run, "main", null, "prom-basic")));
        assertEquals(Messages.ConfigRules_UrlUserInfo(),
                abort(() -> Connections.prometheus(run, null, "http://grafana:" + PROM_PASSWORD + "@prometheus:9090", null)));
    }

    @Test
    void namedAlertmanagerWithABearerTokenAndItsTimeout() throws Exception {
        AlertmanagerEndpoint endpoint = Connections.alertmanager(run, "Main", null, null).endpoint();
        assertEquals(URI.create("https://alertmanager.example.com/alertmanager"), endpoint.url());
        assertEquals(new HttpAuth.Bearer(PROM_TOKEN), endpoint.auth());
        assertEquals(Duration.ofSeconds(20), endpoint.requestTimeout());
        AlertmanagerEndpoint open = Connections.alertmanager(run, "open", "", " ").endpoint();
        assertInstanceOf(HttpAuth.None.class, open.auth());
        assertEquals(Duration.ofSeconds(MonitoringServer.DEFAULT_TIMEOUT_SECONDS), open.requestTimeout());
    }

    @Test
    void inlineAlertmanagerWithBasicAuthOrNoneThroughTheRun() throws Exception {
        AlertmanagerEndpoint basic = Connections.alertmanager(run, null, "https://am.example.com", "prom-basic").endpoint();
        assertEquals(URI.create("https://am.example.com"), basic.url());
        assertEquals(new HttpAuth.Basic("grafana", PROM_PASSWORD), basic.auth());
        assertInstanceOf(HttpAuth.None.class, Connections.alertmanager(run, null, "http://am:9093", null).endpoint().auth());

        Connections.alertmanager(run, null, "http://am:9093", "recorded");
        assertEquals(List.of(run), contextualizedFor);
    }

    @Test
    void alertmanagerNeedsExactlyOneOfNameAndUrlAKnownNameAndCredentialsItTakes() {
        assertEquals(Messages.Connections_AlertmanagerNameAndUrl(),
                abort(() -> Connections.alertmanager(run, "main", "http://am:9093", null)));
        assertEquals(Messages.Connections_AlertmanagerMissing(), abort(() -> Connections.alertmanager(run, null, " ", "prom-token")));
        assertEquals(Messages.Connections_UnknownAlertmanager("oncall", "main, open"),
                abort(() -> Connections.alertmanager(run, "oncall", null, null)));
        assertEquals(Messages.Connections_AlertmanagerCredentialsFromConfiguration("main"),
                abort(() -> Connections.alertmanager(run, "main", null, "prom-basic")));
        assertEquals(Messages.ConfigRules_UrlUserInfo(),
                abort(() -> Connections.alertmanager(run, null, "http://grafana:" + PROM_PASSWORD + "@am:9093", null)));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_WrongAlertmanagerType("kubeconfig"),
                abort(() -> Connections.alertmanager(run, null, "http://am:9093", "kubeconfig")));
        assertEquals(io.jenkins.plugins.bluegreen.credentials.Messages.CredentialsResolver_NotFound("gone"),
                abort(() -> Connections.alertmanager(run, null, "http://am:9093", "gone")));
        config.setAlertmanagerServers(List.of());
        assertEquals(Messages.Connections_UnknownAlertmanager("main", Messages.Connections_NoneConfigured()),
                abort(() -> Connections.alertmanager(run, "main", null, null)));
    }
}
