package io.jenkins.plugins.bluegreen.config;

import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.ADMIN;
import static io.jenkins.plugins.bluegreen.config.ConfigTestSupport.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hudson.security.ACLContext;
import hudson.util.FormValidation;
import io.jenkins.plugins.bluegreen.metrics.TokenProxy;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.access.AccessDeniedException;

/**
 * The Alertmanager connection test of the global configuration against a real Alertmanager 0.25 (one for the
 * class), directly and behind a proxy that wants a bearer token: it answers only an administrator, names the
 * version or what failed, and never echoes a token or a response body.
 */
class AlertmanagerConnectionTest {

    private static final String AM_TOKEN = "am-t0ken-s3cr3t";

    @TempDir
    static Path dir;

    private static AlertmanagerProcess alertmanager;
    private static TokenProxy proxy;

    private ConfigTestSupport support;

    @BeforeAll
    static void start() throws Exception {
        alertmanager = AlertmanagerProcess.start(dir);
        proxy = new TokenProxy(alertmanager.url(), AM_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        support = new ConfigTestSupport();
        support.credentials.add(TestCredentials.secretText("am-token", AM_TOKEN));
    }

    private FormValidation test(String url, String credentialsId, String timeout) {
        try (ACLContext ignored = TestJenkins.as(ADMIN)) {
            FormValidation v = support.alertmanagerDescriptor.doTestConnection(url, credentialsId, timeout);
            for (String secret : new String[] {AM_TOKEN, ConfigTestSupport.PROM_TOKEN, ConfigTestSupport.PROM_PASSWORD}) {
                assertFalse(String.valueOf(v.getMessage()).contains(secret), v.getMessage());
            }
            return v;
        }
    }

    @Test
    void anAdministratorConnectsDirectlyAndWithATokenThroughTheProxy() {
        assertEquals("Connected: Alertmanager 0.25.0", test(alertmanager.url().toString(), "", "").getMessage());
        FormValidation viaProxy = test(proxy.url().toString(), "am-token", "5");
        assertEquals(FormValidation.Kind.OK, viaProxy.kind);
        assertEquals("Connected: Alertmanager 0.25.0", viaProxy.getMessage());
    }

    @Test
    void aWrongTokenOrNoneIsRefusedAndNotEchoed() {
        assertEquals("Connection failed: Alertmanager refused the credentials (HTTP 401)",
                test(proxy.url().toString(), "prom-token", "5").getMessage());
        assertEquals("Connection failed: Alertmanager refused the credentials (HTTP 401)",
                test(proxy.url().toString(), "prom-basic", "5").getMessage());
        assertEquals("Connection failed: Alertmanager refused the credentials (HTTP 401)",
                test(proxy.url().toString(), null, null).getMessage());
    }

    @Test
    void aWrongAddressSaysWhatIsWrong() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertEquals("Connection failed: cannot connect to Alertmanager at http://127.0.0.1:" + closedPort + " (GET /api/v2/status)",
                test("http://127.0.0.1:" + closedPort, "", "2").getMessage());
        assertEquals("Connection failed: the server did not answer like Alertmanager (HTTP 404, no Alertmanager JSON)",
                test(alertmanager.url() + "/not-here", "", "").getMessage());
        assertEquals("Only http:// and https:// URLs are allowed.", test("file:///etc/alertmanager", "am-token", "5").getMessage());
        assertEquals("The URL must not contain a user name or password; choose credentials instead.",
                test("http://admin:" + AM_TOKEN + "@127.0.0.1:9093", "", "5").getMessage());
        assertEquals("Enter a whole number of seconds from 1 to 300.", test(alertmanager.url().toString(), "", "0").getMessage());
        assertEquals("No credentials with ID 'nope' are available here.",
                test(alertmanager.url().toString(), "nope", "5").getMessage());
        assertEquals("Connection failed: Credentials 'kubeconfig' cannot be used for Alertmanager: use secret text "
                + "(a bearer token) or a user name with password.", test(alertmanager.url().toString(), "kubeconfig", "5").getMessage());
    }

    @Test
    void aReaderCannotMakeJenkinsConnect() {
        int before = proxy.requests();
        try (ACLContext ignored = TestJenkins.as(READER)) {
            assertThrows(AccessDeniedException.class,
                    () -> support.alertmanagerDescriptor.doTestConnection(proxy.url().toString(), "am-token", "5"));
        }
        assertEquals(before, proxy.requests());
        assertEquals(0, support.credentials.lookups());
    }
}
