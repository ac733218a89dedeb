package io.jenkins.plugins.bluegreen.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.metrics.TokenProxy;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real Alertmanager 0.25, one for the class: silences created, read, listed, extended and
 * expired; matchers refused before anything is sent; firing alerts found and silenced ones left out; connection
 * failures named without credentials. Each test uses its own label values, so they do not see each other's alerts.
 */
class AlertmanagerClientTest {

    private static final String TOKEN = "am-t0ken-s3cr3t";

    @TempDir
    static Path dir;

    private static AlertmanagerProcess alertmanager;
    private static AlertmanagerClient client;

    @BeforeAll
    static void start() {
        alertmanager = AlertmanagerProcess.start(dir);
        client = client(alertmanager.url(), null);
    }

    @AfterAll
    static void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    private static AlertmanagerClient client(URI url, HttpAuth auth) {
        return new AlertmanagerClient(new AlertmanagerEndpoint(url, auth, Duration.ofSeconds(5)), HttpTransport.of(HttpClient.newBuilder()));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static SilenceRequest rolloutSilence(String matchers, Duration lasting) {
        Instant now = now();
        return SilenceRequest.byJenkins(AlertMatchers.parse(matchers), now, now.plus(lasting),
                "Blue-green rollout of shop/checkout, https://jenkins.example.com/job/deploy/12/");
    }

    @Test
    void checksTheConnectionWithTheStatusApi() throws Exception {
        assertEquals("0.25.0", client.checkConnection());
    }

    @Test
    void aSilenceIsCreatedReadListedExtendedInPlaceAndExpired() throws Exception {
        SilenceRequest request = rolloutSilence(
                "alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"lifecycle\"", Duration.ofMinutes(10));
        String id = client.createSilence(request);

        Silence created = client.silence(id).orElseThrow();
        assertEquals(Silence.State.ACTIVE, created.state());
        assertEquals(request.matchers().matchers(), created.matchers());
        assertEquals("jenkins", created.createdBy());
        assertEquals(request.comment(), created.comment());
        assertEquals(request.endsAt(), created.endsAt());
        assertTrue(client.silences().stream().anyMatch(s -> s.id().equals(id)));

        Instant later = created.endsAt().plus(Duration.ofMinutes(20));
        Silence extended = client.extendSilence(id, later);
        assertEquals(id, extended.id(), "extended in place: matchers and start unchanged");
        assertEquals(later, extended.endsAt());
        assertEquals(created.startsAt(), extended.startsAt());
        assertEquals(created.comment(), extended.comment());
        assertEquals(extended.endsAt(), client.extendSilence(id, later.minusSeconds(60)).endsAt(), "never shortened");

        assertTrue(client.expireSilence(id));
        Silence expired = client.silence(id).orElseThrow();
        assertTrue(expired.isExpired());
        assertTrue(client.expireSilence(id), "expiring twice is fine");

        int before = client.silences().size();
        Silence untouched = client.extendSilence(id, later);
        assertTrue(untouched.isExpired(), "an expired silence is not re-created");
        assertEquals(before, client.silences().size());
    }

    /** Alertmanager replaces a silence whose matchers change; the caller must keep the new ID. */
    @Test
    void updatingTheMatchersGivesANewSilence() throws Exception {
        String id = client.createSilence(rolloutSilence("namespace=\"update\",alertname=\"A\"", Duration.ofMinutes(5)));
        String updated = client.updateSilence(id, rolloutSilence("namespace=\"update\",alertname=\"B\"", Duration.ofMinutes(5)));
        assertNotEquals(id, updated);
        assertTrue(client.silence(id).orElseThrow().isExpired());
        assertEquals("B", client.silence(updated).orElseThrow().matchers().get(1).value());
        client.expireSilence(updated);
    }

    @Test
    void refusedMatchersNeverReachAlertmanager() throws Exception {
        int before = client.silences().size();
        for (String text : List.of("", "{}", "alertname=~\".*\"", "namespace!=\"\"", "alertname!=\"Watchdog\"")) {
            assertThrows(IllegalArgumentException.class, () -> rolloutSilence(text, Duration.ofMinutes(5)), text);
        }
        assertEquals(before, client.silences().size());
    }

    /** Go's RE2 refuses back-references that Java takes: Alertmanager's own message comes back. */
    @Test
    void alertmanagersOwnRefusalIsReportedWithItsReason() {
        AlertmanagerException e = assertThrows(AlertmanagerException.class,
                () -> client.createSilence(rolloutSilence("namespace=\"re2\",pod=~\"(a)\\\\1\"", Duration.ofMinutes(5))));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Alertmanager answered HTTP 400: silence invalid: invalid label matcher 1: "
                + "invalid regular expression"), e.getMessage());
    }

    @Test
    void anUnknownSilenceIsAbsentAndExpiringItSaysSo() throws Exception {
        String unknown = UUID.randomUUID().toString();
        assertTrue(client.silence(unknown).isEmpty());
        assertFalse(client.expireSilence(unknown), "Alertmanager 0.25 answers 500 'silence not found'");
        AlertmanagerException e = assertThrows(AlertmanagerException.class, () -> client.extendSilence(unknown, now()));
        assertEquals(404, e.status());
        assertEquals("Alertmanager has no silence " + unknown, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.expireSilence("../../-/reload"), "never put into a path");
        assertThrows(IllegalArgumentException.class, () -> client.silence(null));
    }

    @Test
    void firingAlertsMatchTheSelectorAndSilencedOnesAreLeftOut() throws Exception {
        alertmanager.fire(Map.of("alertname", "HighErrorRate", "namespace", "alerts", "service", "checkout", "color", "green",
                "severity", "critical"), Duration.ofMinutes(5));
        alertmanager.fire(Map.of("alertname", "PodNotReady", "namespace", "alerts", "pod", "checkout-green-1",
                "severity", "warning"), Duration.ofMinutes(5));
        alertmanager.fire(Map.of("alertname", "HighErrorRate", "namespace", "alerts-other", "service", "payments",
                "severity", "critical"), Duration.ofMinutes(5));

        List<FiringAlert> critical = client.firingAlerts(AlertMatchers.parse("severity=\"critical\",namespace=~\"alerts.*\""));
        assertEquals(List.of("HighErrorRate{color=\"green\",namespace=\"alerts\",service=\"checkout\",severity=\"critical\"}",
                "HighErrorRate{namespace=\"alerts-other\",service=\"payments\",severity=\"critical\"}"), names(critical));
        assertNotNull(critical.get(0).activeSince());
        assertEquals(List.of("HighErrorRate", "PodNotReady"),
                client.firingAlerts(AlertMatchers.parse("namespace=\"alerts\"")).stream().map(FiringAlert::name).toList());
        assertEquals(List.of(), client.firingAlerts(AlertMatchers.parse("namespace=\"alerts\",severity=\"page\"")));

        String silence = client.createSilence(rolloutSilence("namespace=\"alerts\",alertname=\"PodNotReady\"", Duration.ofMinutes(5)));
        assertEquals(List.of("HighErrorRate"),
                client.firingAlerts(AlertMatchers.parse("namespace=\"alerts\"")).stream().map(FiringAlert::name).toList());
        client.expireSilence(silence);
        assertEquals(List.of("HighErrorRate", "PodNotReady"),
                client.firingAlerts(AlertMatchers.parse("namespace=\"alerts\"")).stream().map(FiringAlert::name).toList());
    }

    /** Values with quotes and backslashes reach Alertmanager's filter as they were written. */
    @Test
    void filtersCarryQuotesAndBackslashes() throws Exception {
        alertmanager.fire(Map.of("alertname", "Odd", "namespace", "escapes", "summary", "say \"hi\" C:\\tmp"), Duration.ofMinutes(5));
        assertEquals(List.of("Odd"), client.firingAlerts(AlertMatchers.parse("namespace=\"escapes\",summary=\"say \\\"hi\\\" C:\\\\tmp\""))
                .stream().map(FiringAlert::name).toList());
        assertEquals(List.of("Odd"), client.firingAlerts(AlertMatchers.parse("namespace=\"escapes\",summary=~\".*C:\\\\\\\\tmp\""))
                .stream().map(FiringAlert::name).toList());
    }

    @Test
    void aTokenProxyPassesTheRightTokenAndTheWrongOneIsNotEchoed() throws Exception {
        try (TokenProxy proxy = new TokenProxy(alertmanager.url(), TOKEN)) {
            AlertmanagerClient right = client(proxy.url(), new HttpAuth.Bearer(TOKEN));
            assertEquals("0.25.0", right.checkConnection());
            String id = right.createSilence(rolloutSilence("namespace=\"proxied\"", Duration.ofMinutes(5)));
            assertTrue(right.expireSilence(id));

            AlertmanagerException e = assertThrows(AlertmanagerException.class,
                    () -> client(proxy.url(), new HttpAuth.Bearer("not-" + TOKEN)).checkConnection());
            assertEquals("Alertmanager refused the credentials (HTTP 401)", e.getMessage());
            assertEquals(401, e.status());
            AlertmanagerException none = assertThrows(AlertmanagerException.class,
                    () -> client(proxy.url(), null).firingAlerts(AlertMatchers.parse("namespace=\"proxied\"")));
            assertEquals(401, none.status());
        }
    }

    @Test
    void anUnreachableAlertmanagerIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        AlertmanagerException e = assertThrows(AlertmanagerException.class,
                () -> client(URI.create("http://127.0.0.1:" + closedPort), null).checkConnection());
        assertEquals("cannot connect to Alertmanager at http://127.0.0.1:" + closedPort, e.getMessage());
        assertEquals(0, e.status());
    }

    /** A wrong path prefix reaches Alertmanager's web UI, whose 404 page is not quoted. */
    @Test
    void aWrongPathIsNotTakenForAlertmanager() {
        AlertmanagerException e = assertThrows(AlertmanagerException.class,
                () -> client(alertmanager.url().resolve("/prefix"), null).checkConnection());
        assertEquals("the server did not answer like Alertmanager (HTTP 404, no Alertmanager JSON)", e.getMessage());
    }

    @Test
    void endpointsAcceptOnlyHttpUrlsAndSaneTimeouts() {
        assertEquals(HttpUrl.Problem.SCHEME, assertThrows(HttpUrl.InvalidUrlException.class,
                () -> AlertmanagerEndpoint.of("file:///etc/alertmanager", null, null)).problem());
        assertEquals(HttpUrl.Problem.USER_INFO, assertThrows(HttpUrl.InvalidUrlException.class,
                () -> AlertmanagerEndpoint.of("http://admin:" + TOKEN + "@am:9093", null, null)).problem());
        assertEquals("the Alertmanager request timeout must be between 1 s and 300 s", assertThrows(IllegalArgumentException.class,
                () -> AlertmanagerEndpoint.of("http://am:9093", null, Duration.ZERO)).getMessage());
        AlertmanagerEndpoint e = AlertmanagerEndpoint.of("https://am.example.com/alertmanager/", null, null);
        assertEquals(URI.create("https://am.example.com/alertmanager"), e.url());
        assertEquals(Duration.ofSeconds(10), e.requestTimeout());
        assertTrue(e.auth() instanceof HttpAuth.None);
    }

    private static List<String> names(List<FiringAlert> alerts) {
        return alerts.stream().map(FiringAlert::toString).collect(Collectors.toList());
    }
}
