package io.jenkins.plugins.bluegreen.steps;

import static io.jenkins.plugins.bluegreen.credentials.CredentialsResolver.CLUSTER_CREDENTIALS;
import static io.jenkins.plugins.bluegreen.credentials.CredentialsResolver.PROMETHEUS_CREDENTIALS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Item;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Snippet Generator's drop-downs and checks: who sees which credentials and configured names, and what the
 * format checks answer. Users: an administrator, a job configurer with Item/Extended Read on the job only, a user
 * with Credentials/Use Item on the job only, and a reader with Overall/Read and Item/Read.
 */
class StepFormsTest {

    private static final String ADMIN = "alice";
    private static final String CONFIGURER = "carol";
    private static final String USER = "dave";
    private static final String READER = "bob";
    private static final String URL = "https://lab.example:6443";
    private static final String SECRET = "k8s-t0ken-s3cr3t-forms";

    private final TestCredentialsProvider credentials = new TestCredentialsProvider();
    private TestJob job;

    @BeforeEach
    void setUp() throws Exception {
        TestJenkins jenkins = TestJenkins.install();
        job = new TestJob(jenkins, "checkout-deploy");
        jenkins.grant(ADMIN, Jenkins.ADMINISTER)
                .grant(CONFIGURER, Jenkins.READ).grantOn(job, CONFIGURER, Item.EXTENDED_READ)
                .grant(USER, Jenkins.READ).grantOn(job, USER, CredentialsProvider.USE_ITEM)
                .grant(READER, Jenkins.READ, Item.READ);
        jenkins.register(CredentialsProvider.class, credentials);
        credentials.add(TestCredentials.secretText("k8s-token", SECRET))
                .add(TestCredentials.secretFile("kubeconfig", "apiVersion: v1\nkind: Config\n"))
                .add(TestCredentials.usernamePassword("prom-basic", "grafana", "pw-s3cr3t"))
                .add(TestCredentials.systemSecretText("jenkins-own-token", "sys-s3cr3t"));
        BlueGreenGlobalConfiguration config = new BlueGreenGlobalConfiguration();
        jenkins.register(BlueGreenGlobalConfiguration.class, config);
        config.setClusters(List.of(new KubernetesCluster("lab", URL), new KubernetesCluster("prod", URL)));
        config.setPrometheusServers(List.of(new PrometheusServer("metrics", "http://prometheus.example:9090")));
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).collect(Collectors.toList());
    }

    private static List<String> names(ListBoxModel model) {
        return model.stream().map(o -> o.name).collect(Collectors.toList());
    }

    @Test
    void anAdministratorSeesTheClusterCredentialsAtTheRoot() {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            assertEquals(List.of("", "k8s-token", "kubeconfig"),
                    values(StepForms.fillCredentialsIdItems(null, URL, "", CLUSTER_CREDENTIALS)));
        }
    }

    @Test
    void aJobConfigurerSeesThemInTheJobButNotAtTheRoot() {
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            assertEquals(List.of("", "k8s-token", "kubeconfig"),
                    values(StepForms.fillCredentialsIdItems(job, URL, "", CLUSTER_CREDENTIALS)));
            assertEquals(List.of("kubeconfig"), values(StepForms.fillCredentialsIdItems(null, URL, "kubeconfig", CLUSTER_CREDENTIALS)));
        }
        try (ACLContext ignored = TestJenkins.as(USER)) {
            assertEquals(List.of("", "k8s-token", "kubeconfig"),
                    values(StepForms.fillCredentialsIdItems(job, URL, null, CLUSTER_CREDENTIALS)));
        }
    }

    @Test
    void aReaderGetsOnlyTheCurrentValueAndNothingIsLookedUp() {
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertEquals(List.of("k8s-token"), values(StepForms.fillCredentialsIdItems(job, URL, "k8s-token", CLUSTER_CREDENTIALS)));
            assertEquals(List.of(""), values(StepForms.fillCredentialsIdItems(job, URL, null, CLUSTER_CREDENTIALS)));
            assertEquals(List.of("prod"), values(StepForms.fillClusterItems(job, "prod")));
            assertEquals(List.of(""), values(StepForms.fillPrometheusItems(null, null)));
            assertEquals(FormValidation.Kind.OK, StepForms.checkCredentialsId(job, URL, "probe-id", CLUSTER_CREDENTIALS).kind);
        }
        assertEquals(0, credentials.lookups());
    }

    @Test
    void theMatcherDecidesWhichKindsAreOffered() {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            List<String> cluster = values(StepForms.fillCredentialsIdItems(job, URL, "", CLUSTER_CREDENTIALS));
            assertFalse(cluster.contains("prom-basic"), "a user name and password is no cluster credential: " + cluster);
            assertEquals(List.of("", "k8s-token", "prom-basic"),
                    values(StepForms.fillCredentialsIdItems(job, "http://prometheus.example:9090", "", PROMETHEUS_CREDENTIALS)));
        }
    }

    @Test
    void systemScopedCredentialsAreNeverOfferedToAStep() {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            assertFalse(values(StepForms.fillCredentialsIdItems(null, URL, "", CLUSTER_CREDENTIALS)).contains("jenkins-own-token"));
            FormValidation v = StepForms.checkCredentialsId(null, URL, "jenkins-own-token", CLUSTER_CREDENTIALS);
            assertEquals(FormValidation.Kind.WARNING, v.kind);
        }
    }

    @Test
    void aCurrentValueThatIsGoneStaysSelectable() {
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            ListBoxModel model = StepForms.fillCredentialsIdItems(job, URL, "gone", CLUSTER_CREDENTIALS);
            assertEquals(List.of("", "gone", "k8s-token", "kubeconfig"), values(model));
        }
    }

    @Test
    void theCredentialsCheckWarnsAboutUnknownIdsAndWrongKinds() {
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            assertEquals(FormValidation.Kind.OK, StepForms.checkCredentialsId(job, URL, "  ", CLUSTER_CREDENTIALS).kind);
            assertEquals(FormValidation.Kind.OK, StepForms.checkCredentialsId(job, URL, "kubeconfig", CLUSTER_CREDENTIALS).kind);
            FormValidation unknown = StepForms.checkCredentialsId(job, URL, "nope", CLUSTER_CREDENTIALS);
            assertEquals(FormValidation.Kind.WARNING, unknown.kind);
            assertEquals("No such credentials visible to this job.", unknown.getMessage());
            FormValidation wrongKind = StepForms.checkCredentialsId(job, URL, "prom-basic", CLUSTER_CREDENTIALS);
            assertEquals(FormValidation.Kind.WARNING, wrongKind.kind);
            assertEquals("Credentials 'prom-basic' are not of a kind this step accepts here.", wrongKind.getMessage());
            FormValidation ok = StepForms.checkCredentialsId(job, URL, "k8s-token", CLUSTER_CREDENTIALS);
            assertEquals(FormValidation.Kind.OK, ok.kind);
            assertFalse(String.valueOf(ok.getMessage()).contains(SECRET));
        }
    }

    @Test
    void clusterAndPrometheusNamesComeFromTheGlobalConfiguration() {
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            assertEquals(List.of("", "lab", "prod"), values(StepForms.fillClusterItems(job, null)));
            assertEquals(List.of("- none -", "lab", "prod"), names(StepForms.fillClusterItems(job, "")));
            assertEquals(List.of("", "metrics"), values(StepForms.fillPrometheusItems(job, "metrics")));
        }
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            assertEquals(List.of("", "lab", "prod"), values(StepForms.fillClusterItems(null, "")));
        }
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            assertEquals(List.of("prod"), values(StepForms.fillClusterItems(null, "prod")), "no Overall/Administer at the root");
        }
    }

    @Test
    void aCurrentClusterNameIsKeptAsWritten() {
        try (ACLContext ignored = TestJenkins.as(CONFIGURER)) {
            // the steps resolve names ignoring case; the entry keeps the Pipeline's spelling so the form selects it
            ListBoxModel model = StepForms.fillClusterItems(job, "LAB");
            assertEquals(List.of("", "LAB", "prod"), values(model));
            assertEquals(List.of("- none -", "lab", "prod"), names(model));
            ListBoxModel old = StepForms.fillClusterItems(job, "staging");
            assertEquals(List.of("", "lab", "prod", "staging"), values(old));
            assertEquals("staging (not configured)", old.get(3).name);
        }
    }

    /** The drop-down offers what blueGreenDeploy's router accepts, to anyone (a fixed list), and marks only a match. */
    @Test
    void theRouterDropDownOffersTheThreeRouters() {
        ListBoxModel model;
        try (ACLContext ignored = TestJenkins.as(READER)) {
            model = StepForms.fillRouterItems(null);
        }
        assertEquals(List.of("istio", "gateway", "service"), values(model));
        assertEquals(List.of("Istio VirtualService", "Gateway API HTTPRoute", "Service selector switch"), names(model));
        assertEquals(List.of(), selected(model), "without a value the form keeps the one it shows (istio by default)");
        for (String router : values(model)) {
            BlueGreenDeployStep step = new BlueGreenDeployStep("checkout");
            step.setRouter(router);
            assertEquals(router, step.getRouter());
        }
        assertEquals(List.of("gateway"), selected(StepForms.fillRouterItems(" Gateway ")));
        assertEquals(List.of("service"), selected(StepForms.fillRouterItems("service")));
        assertEquals(List.of(), selected(StepForms.fillRouterItems("nginx")));
        assertEquals(0, credentials.lookups());
    }

    private static List<String> selected(ListBoxModel model) {
        return model.stream().filter(o -> o.selected).map(o -> o.value).collect(Collectors.toList());
    }

    @Test
    void serviceChecks() {
        assertEquals("service is required: the name of the service whose colours are rolled out.", StepForms.checkService(" ").getMessage());
        FormValidation bad = StepForms.checkService("Checkout_Svc");
        assertEquals(FormValidation.Kind.ERROR, bad.kind);
        assertEquals("service 'Checkout_Svc' is not a valid service name: lower-case letters, digits and '-', at most 47 characters.",
                bad.getMessage());
        assertEquals(FormValidation.Kind.ERROR, StepForms.checkService("a".repeat(48)).kind);
        assertEquals(FormValidation.Kind.OK, StepForms.checkService(" checkout ").kind);
    }

    @Test
    void namespaceChecks() {
        assertEquals(FormValidation.Kind.OK, StepForms.checkNamespace(null).kind);
        assertEquals(FormValidation.Kind.OK, StepForms.checkNamespace("shop").kind);
        assertEquals("namespace 'Bad_NS' is not a valid namespace: lower-case letters, digits and '-', at most 63 characters.",
                StepForms.checkNamespace("Bad_NS").getMessage());
    }

    @Test
    void durationChecks() {
        assertEquals(FormValidation.Kind.OK, StepForms.checkDuration("timeout", "").kind);
        assertEquals(FormValidation.Kind.OK, StepForms.checkDuration("timeout", "1h30m").kind);
        assertEquals(FormValidation.Kind.OK, StepForms.checkDuration("timeout", "90").kind);
        FormValidation bad = StepForms.checkDuration("timeout", "soon");
        assertEquals(FormValidation.Kind.ERROR, bad.kind);
        assertEquals("timeout: 'soon' is not a duration; write e.g. '90s', '5m', '1h30m' or '500ms'.", bad.getMessage());
    }

    @Test
    void percentChecks() {
        assertEquals("The percent (the candidate's share of the traffic) is required.", StepForms.checkPercent("").getMessage());
        for (String bad : List.of("-1", "101", "fifty", "12.5")) {
            FormValidation v = StepForms.checkPercent(bad);
            assertEquals(FormValidation.Kind.ERROR, v.kind, bad);
            assertEquals("percent (the candidate's share of the traffic) must be from 0 to 100, not " + bad + ".", v.getMessage());
        }
        for (String good : List.of("0", " 50 ", "100")) {
            assertEquals(FormValidation.Kind.OK, StepForms.checkPercent(good).kind, good);
        }
    }

    @Test
    void formatChecksNeedNoPermissionAndLookNothingUp() {
        try (ACLContext ignored = TestJenkins.as("anonymous-ish")) {
            assertEquals(FormValidation.Kind.ERROR, StepForms.checkService("Bad").kind);
            assertEquals(FormValidation.Kind.ERROR, StepForms.checkNamespace("Bad").kind);
            assertEquals(FormValidation.Kind.ERROR, StepForms.checkDuration("interval", "x").kind);
            assertEquals(FormValidation.Kind.ERROR, StepForms.checkPercent("x").kind);
        }
        assertEquals(0, credentials.lookups());
    }
}
