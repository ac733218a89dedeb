package io.jenkins.plugins.bluegreen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import hudson.ProxyConfiguration;
import hudson.security.ACLContext;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.net.StatusServer;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's one HTTP client ({@link SharedHttp}): every Prometheus and Alertmanager client of a build and the
 * configuration form's connection check use it, and it follows Jenkins' proxy configuration as it changes, clients
 * already made included. A JDK HttpServer stands in for Prometheus, another for the proxy.
 */
class SharedHttpTest {

    private ConfigTestSupport support;
    private TestRun run;
    private StatusServer prometheus;
    private StatusServer proxy;

    @BeforeEach
    void setUp() throws Exception {
        support = new ConfigTestSupport();
        run = new TestJob(support.jenkins, "shop-deploy").newBuild();
        prometheus = StatusServer.start("2.42.0");
        proxy = StatusServer.start("via-proxy");
    }

    @AfterEach
    void tearDown() {
        support.jenkins.setProxy(null);
        prometheus.close();
        proxy.close();
    }

    private static List<String> authorizations(StatusServer server) {
        return server.seen().stream().map(StatusServer.Seen::authorization).collect(Collectors.toList());
    }

    @Test
    void everyClientOfEveryBuildUsesTheOneTransport() throws Exception {
        PrometheusClient first = Connections.prometheus(run, null, prometheus.url(), "prom-token");
        PrometheusClient second = Connections.prometheus(new TestJob(support.jenkins, "other").newBuild(), null, prometheus.url(), "prom-basic");
        AlertmanagerClient alerts = Connections.alertmanager(run, null, prometheus.url(), null);

        assertSame(SharedHttp.transport(), first.transport());
        assertSame(SharedHttp.transport(), second.transport());
        assertSame(SharedHttp.transport(), alerts.transport());
        first.checkConnection();
        second.checkConnection();
        alerts.checkConnection();
        assertEquals("Bearer " + ConfigTestSupport.PROM_TOKEN, authorizations(prometheus).get(0));
        assertEquals("Basic ", authorizations(prometheus).get(1).substring(0, 6));
        assertEquals(null, authorizations(prometheus).get(2));
        assertEquals(1, prometheus.seen().stream().map(StatusServer.Seen::clientPort).distinct().count(),
                "two builds' credentials and none, over one connection: " + prometheus.seen());
    }

    @Test
    void aProxyConfiguredSavedOrRemovedInJenkinsIsFollowedByClientsAlreadyMadeAndByTheFormCheck() throws Exception {
        PrometheusClient kept = Connections.prometheus(run, null, prometheus.url(), "prom-token"); // as a running step keeps it
        assertEquals("2.42.0", kept.checkConnection());

        support.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", proxy.port()));
        assertEquals("via-proxy", kept.checkConnection());
        assertEquals(prometheus.url() + "/api/v1/status/buildinfo", proxy.seen().get(0).uri(), "the proxy was asked for the server's URL");
        assertEquals("Bearer " + ConfigTestSupport.PROM_TOKEN, proxy.seen().get(0).authorization());
        try (ACLContext ignored = TestJenkins.as(ConfigTestSupport.ADMIN)) {
            assertEquals("Connected: Prometheus via-proxy", support.prometheusDescriptor.doTestConnection(prometheus.url(), "", "").getMessage());
        }

        support.jenkins.setProxy(null);
        assertEquals("2.42.0", kept.checkConnection());
        assertEquals(2, proxy.seen().size());
        assertEquals(2, prometheus.seen().size(), "direct again once the proxy is removed");
    }
}
