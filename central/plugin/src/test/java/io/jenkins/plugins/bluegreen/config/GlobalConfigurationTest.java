package io.jenkins.plugins.bluegreen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Descriptor.FormException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.BiConsumer;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;

class GlobalConfigurationTest {

    private BlueGreenGlobalConfiguration config;

    @BeforeEach
    void setUp() throws Exception {
        ConfigTestSupport support = new ConfigTestSupport();
        config = new BlueGreenGlobalConfiguration();
        support.jenkins.register(BlueGreenGlobalConfiguration.class, config);
    }

    /** A request whose data binding does what Stapler would do for this form: call the setters. */
    private static StaplerRequest2 binding(BiConsumer<Object, JSONObject> bind) {
        return (StaplerRequest2) Proxy.newProxyInstance(GlobalConfigurationTest.class.getClassLoader(),
                new Class<?>[] {StaplerRequest2.class}, (proxy, method, args) -> {
                    if (method.getName().equals("bindJSON") && args.length == 2 && !(args[0] instanceof Class)) {
                        bind.accept(args[0], (JSONObject) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void isTheSingletonWithASymbolForConfigurationAsCode() {
        assertSame(config, BlueGreenGlobalConfiguration.get());
        assertEquals(List.of("blueGreenDeployment"),
                List.of(BlueGreenGlobalConfiguration.class.getAnnotation(Symbol.class).value()));
        assertEquals("Blue-Green Deployment", config.getDisplayName());
    }

    @Test
    void findsClustersAndServersByNameWhateverTheCase() {
        config.setClusters(List.of(new KubernetesCluster("prod-eu", "https://k8s.example.com")));
        config.setPrometheusServers(List.of(new PrometheusServer("main", "http://prometheus:9090")));
        config.setAlertmanagerServers(List.of(new AlertmanagerServer("OnCall", "http://alertmanager:9093")));
        assertEquals("https://k8s.example.com", config.findCluster("PROD-EU").orElseThrow().getServerUrl());
        assertEquals("http://prometheus:9090", config.findPrometheusServer("main").orElseThrow().getUrl());
        assertEquals("http://alertmanager:9093", config.findAlertmanagerServer("oncall").orElseThrow().getUrl());
        assertTrue(config.findCluster("staging").isEmpty());
        assertTrue(config.findAlertmanagerServer("main").isEmpty());
    }

    @Test
    void duplicateNamesAreRefusedIgnoringCase() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> config.setClusters(List.of(
                new KubernetesCluster("prod", "https://a.example.com"), new KubernetesCluster("Prod", "https://b.example.com"))));
        assertEquals("clusters", e.getField());
        assertEquals("Two Kubernetes clusters are named 'Prod'; names must be unique (case does not count).", e.getMessage());
        assertTrue(config.getClusters().isEmpty());

        e = assertThrows(InvalidConfigurationException.class, () -> config.setPrometheusServers(List.of(
                new PrometheusServer("main", "http://a:9090"), new PrometheusServer("main", "http://b:9090"))));
        assertEquals("prometheusServers", e.getField());

        e = assertThrows(InvalidConfigurationException.class, () -> config.setAlertmanagerServers(List.of(
                new AlertmanagerServer("oncall", "http://a:9093"), new AlertmanagerServer("OnCall", "http://b:9093"))));
        assertEquals("alertmanagerServers", e.getField());
        assertEquals("Two Alertmanagers are named 'OnCall'; names must be unique (case does not count).", e.getMessage());
        assertTrue(config.getAlertmanagerServers().isEmpty());
    }

    @Test
    void aBrokenRuleInTheFormIsReportedAtItsFieldAndKeepsTheSavedConfiguration() {
        List<KubernetesCluster> saved = List.of(new KubernetesCluster("prod", "https://a.example.com"));
        config.setClusters(saved);
        StaplerRequest2 req = binding((bean, json) -> ((BlueGreenGlobalConfiguration) bean).setClusters(List.of(
                new KubernetesCluster("x", "https://a.example.com"), new KubernetesCluster("X", "https://b.example.com"))));
        FormException e = assertThrows(FormException.class, () -> config.configure(req, new JSONObject()));
        assertEquals("clusters", e.getFormField());
        assertEquals(saved, config.getClusters());
    }

    @Test
    void aBrokenAlertmanagerEntryKeepsEveryListAsSaved() {
        List<AlertmanagerServer> saved = List.of(new AlertmanagerServer("oncall", "http://a:9093"));
        config.setAlertmanagerServers(saved);
        List<PrometheusServer> prometheus = List.of(new PrometheusServer("main", "http://a:9090"));
        config.setPrometheusServers(prometheus);
        StaplerRequest2 req = binding((bean, json) -> {
            BlueGreenGlobalConfiguration c = (BlueGreenGlobalConfiguration) bean;
            c.setPrometheusServers(List.of());
            c.setAlertmanagerServers(List.of(new AlertmanagerServer("x", "http://a:9093"), new AlertmanagerServer("X", "http://b:9093")));
        });
        FormException e = assertThrows(FormException.class, () -> config.configure(req, new JSONObject()));
        assertEquals("alertmanagerServers", e.getFormField());
        assertEquals(saved, config.getAlertmanagerServers());
        assertEquals(prometheus, config.getPrometheusServers());
    }

    @Test
    void aBindingFailureFromAConstructorIsReportedToo() {
        StaplerRequest2 req = binding((bean, json) -> {
            // Stapler wraps what a constructor throws; the cause chain is searched.
            throw new IllegalArgumentException("Failed to instantiate", new InvalidConfigurationException("url", "bad"));
        });
        FormException e = assertThrows(FormException.class, () -> config.configure(req, new JSONObject()));
        assertEquals("url", e.getFormField());
        assertEquals("bad", e.getMessage());
    }

    @Test
    void deletingEveryEntryInTheFormEmptiesTheLists() throws Exception {
        config.setClusters(List.of(new KubernetesCluster("prod", "https://a.example.com")));
        config.setPrometheusServers(List.of(new PrometheusServer("main", "http://a:9090")));
        config.setAlertmanagerServers(List.of(new AlertmanagerServer("main", "http://a:9093")));
        // With no entries the form has no key for the list, so binding calls no setter.
        assertTrue(config.configure(binding((bean, json) -> {}), new JSONObject()));
        assertTrue(config.getClusters().isEmpty());
        assertTrue(config.getPrometheusServers().isEmpty());
        assertTrue(config.getAlertmanagerServers().isEmpty());
    }

    @Test
    void listsHandedOutCannotBeChangedBehindTheChecks() {
        config.setClusters(List.of(new KubernetesCluster("prod", "https://a.example.com")));
        assertThrows(UnsupportedOperationException.class,
                () -> config.getClusters().add(new KubernetesCluster("prod", "https://b.example.com")));
    }
}
