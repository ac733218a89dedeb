package io.jenkins.plugins.bluegreen.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.steps.HelmChart;
import io.jenkins.plugins.bluegreen.steps.ChatNotification;
import io.jenkins.plugins.bluegreen.steps.RolloutAction;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The global configuration and a build's rollout action, saved and loaded as Jenkins does it with XStream: the
 * values come back unchanged, the files hold IDs and settings only, and every JDK type in them is one Jenkins' class
 * filter lets through. Whether it lets our own classes through depends on the jar they are loaded from: {@code
 * HpiContentsIT} checks that on the packaged plugin.
 */
class XStreamRoundTripTest {

    private final JenkinsXStream xstream = new JenkinsXStream();

    @BeforeEach
    void setUp() throws Exception {
        TestJenkins.install();
    }

    @Test
    void theGlobalConfigurationLoadsAsItWasSaved() {
        BlueGreenGlobalConfiguration saved = SavedObjects.globalConfiguration();
        String xml = xstream.toXml(saved);
        BlueGreenGlobalConfiguration loaded = new BlueGreenGlobalConfiguration();
        assertSame(loaded, xstream.fromXml(xml, loaded), "Descriptor.load() reads into the extension itself");
        assertEquals(SavedState.of(saved), SavedState.of(loaded));
        assertEquals(List.of("prod-eu", "lab"), loaded.getClusters().stream().map(c -> c.getName()).collect(Collectors.toList()));
        assertEquals(List.of("oncall", "lab"), loaded.getAlertmanagerServers().stream().map(a -> a.getName()).collect(Collectors.toList()));
        assertEquals(15, loaded.getAlertmanagerServers().get(0).getRequestTimeoutSeconds());
        assertEquals(20, loaded.getClusters().get(0).getRequestTimeoutSeconds());
        assertEquals(30, loaded.getClusters().get(1).getRequestTimeoutSeconds(), "left at the default: not written, read as 30");
        assertTrue(xml.contains("<credentialsId>prod-eu-deployer</credentialsId>"), xml);
        assertTrue(xml.contains("<credentialsId>alertmanager-token</credentialsId>"), xml);
        assertEquals(Set.of("io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration", "clusters", "prometheusServers",
                "alertmanagerServers", "io.jenkins.plugins.bluegreen.config.KubernetesCluster",
                "io.jenkins.plugins.bluegreen.config.PrometheusServer", "io.jenkins.plugins.bluegreen.config.AlertmanagerServer",
                "name", "serverUrl", "url", "credentialsId", "caCertificate", "namespace", "skipTlsVerify",
                "requestTimeoutSeconds"), elements(xml), "the file holds names, URLs, settings and credential IDs only");
    }

    /** A configuration saved before the clusters had a request timeout loads with the default (30 s). */
    @Test
    void aClusterSavedBeforeItHadARequestTimeoutLoadsWithTheDefault() {
        String xml = xstream.toXml(SavedObjects.globalConfiguration());
        String older = xml.replaceAll("\\s*<requestTimeoutSeconds>20</requestTimeoutSeconds>", "");
        assertFalse(older.contains("<requestTimeoutSeconds>20</requestTimeoutSeconds>"), older);
        BlueGreenGlobalConfiguration loaded = new BlueGreenGlobalConfiguration();
        xstream.fromXml(older, loaded);
        assertEquals(30, loaded.getClusters().get(0).getRequestTimeoutSeconds());
    }

    @Test
    void theRolloutActionLoadsFromBuildXmlAsItWasSaved() {
        RolloutAction saved = SavedObjects.rolloutAction();
        String xml = xstream.toXml(saved);
        RolloutAction loaded = (RolloutAction) xstream.fromXml(xml);
        loaded.onLoad(saved.getRun());
        assertEquals(SavedState.of(saved), SavedState.of(loaded));
        assertEquals(List.of("checkout", "payments"),
                loaded.getEntries().stream().map(RolloutAction.Entry::getService).collect(Collectors.toList()));
        assertEquals(12840L, loaded.getEntries().get(0).getRecoveryMillis());
        assertEquals(saved.getEntries().get(0).getReport().getTitle(), loaded.getEntries().get(0).getReport().getTitle());
        assertFalse(elements(xml).contains("run"), "the build is transient: " + elements(xml));
        assertFalse(elements(xml).contains("owner"), "the record's owner is not copied");
    }

    /**
     * A {@code helmChart(...)} argument, as XStream would write it with the step's arguments: the paths, the set keys
     * and values as written, the colour value; every JDK type in it one the class filter trusts.
     */
    @Test
    void aHelmChartArgumentLoadsAsItWasSaved() {
        HelmChart saved = new HelmChart("charts/my-service");
        saved.setValues(List.of("values-prod.yaml"));
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("image.tag", "1.4.0");
        set.put("replicaCount", 4);
        saved.setSet(set);
        saved.setColorValue("environment");
        String xml = xstream.toXml(saved);
        HelmChart loaded = (HelmChart) xstream.fromXml(xml);
        assertEquals(SavedState.of(saved), SavedState.of(loaded));
        assertEquals(Map.of("image.tag", "1.4.0", "replicaCount", "4"), loaded.getSet());
        assertEquals(List.of("values-prod.yaml"), loaded.getValues());
        assertEquals("environment", loaded.getColorValue());
        for (Class<?> c : xstream.consulted()) {
            if (!c.getName().startsWith("io.jenkins.plugins.bluegreen.")) {
                assertEquals(java.util.Optional.empty(), ClassFilterRule.rejection(c), c.getName());
            }
        }
    }

    /**
     * A step's {@code notify} argument, as XStream writes step arguments where Jenkins keeps them with the build (the flow
     * node's arguments): IDs, events and formats come back; the types are ours and JDK ones Jenkins' filter trusts.
     */
    @Test
    void theNotifyArgumentLoadsAsItWasSaved() {
        ChatNotification chat = new ChatNotification("prod-alerts-webhook");
        chat.setOn(List.of("rollback", "promoted"));
        chat.setFormat("json");
        List<ChatNotification> saved = new java.util.ArrayList<>(List.of(chat, new ChatNotification("teams-webhook")));
        String xml = xstream.toXml(saved);
        @SuppressWarnings("unchecked")
        List<ChatNotification> loaded = (List<ChatNotification>) xstream.fromXml(xml);
        assertEquals(SavedState.of(saved), SavedState.of(loaded));
        assertEquals(List.of("rollback", "promoted"), loaded.get(0).getOn());
        assertEquals(null, loaded.get(1).getOn(), "the default stays the default");
        assertEquals(Set.of("list", "io.jenkins.plugins.bluegreen.steps.ChatNotification", "credentialsId", "format", "on", "string"),
                elements(xml));
        for (Class<?> c : xstream.consulted()) {
            if (!c.getName().startsWith("io.jenkins.plugins.bluegreen.")) {
                assertEquals(java.util.Optional.empty(), ClassFilterRule.rejection(c), c.getName());
            }
        }
        assertEquals(Set.of("io.jenkins.plugins.bluegreen.steps.ChatNotification"),
                SavedTypes.reachableFrom(ChatNotification.class));
    }

    /** Element names only: the values are the fixtures', and a field named like a secret would show here. */
    @Test
    void noFieldOfEitherFileIsNamedLikeASecret() {
        Set<String> names = new TreeSet<>(elements(xstream.toXml(SavedObjects.globalConfiguration())));
        names.addAll(elements(xstream.toXml(SavedObjects.rolloutAction())));
        for (String name : names) {
            assertFalse(name.toLowerCase(java.util.Locale.ROOT).matches(".*(password|secret|token|kubeconfig|key).*"), name);
        }
    }

    @Test
    void everyJdkTypeInThemIsOneJenkinsTrusts() {
        xstream.fromXml(xstream.toXml(SavedObjects.globalConfiguration()), new BlueGreenGlobalConfiguration());
        xstream.fromXml(xstream.toXml(SavedObjects.rolloutAction()));
        Set<String> ours = new TreeSet<>();
        for (Class<?> c : xstream.consulted()) {
            if (c.getName().startsWith("io.jenkins.plugins.bluegreen.")) {
                ours.add(c.getName());
            } else {
                assertEquals(java.util.Optional.empty(), ClassFilterRule.rejection(c), c.getName());
            }
        }
        assertEquals(Set.of("io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration",
                "io.jenkins.plugins.bluegreen.config.KubernetesCluster", "io.jenkins.plugins.bluegreen.config.PrometheusServer",
                "io.jenkins.plugins.bluegreen.config.AlertmanagerServer",
                "io.jenkins.plugins.bluegreen.steps.RolloutAction", "io.jenkins.plugins.bluegreen.steps.RolloutAction$Entry",
                "io.jenkins.plugins.bluegreen.steps.RolloutAction$Event"), ours);
    }

    private static Set<String> elements(String xml) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("<([A-Za-z_][\\w.-]*)").matcher(xml);
        while (m.find()) {
            names.add(m.group(1).replace("_-", "$"));
        }
        return names;
    }
}
