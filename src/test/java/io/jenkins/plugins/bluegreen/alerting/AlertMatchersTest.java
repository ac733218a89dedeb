package io.jenkins.plugins.bluegreen.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.alerting.AlertMatcher.Operator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the matchers users write, refusing those that name no alerts, and writing them for both servers. */
class AlertMatchersTest {

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AlertMatchers.parse(text)).getMessage();
    }

    @Test
    void readsTheIssuesExampleIntoApiV2Matchers() {
        AlertMatchers m = AlertMatchers.parse("alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"shop\"");
        assertEquals(List.of(new AlertMatcher("alertname", Operator.REGEX, "PodNotReady|KubeDeploymentReplicasMismatch"),
                new AlertMatcher("namespace", Operator.EQUAL, "shop")), m.matchers());
        assertTrue(m.matchers().get(0).isRegex());
        assertTrue(m.matchers().get(0).isEqual());
        assertFalse(m.matchers().get(1).isRegex());
        assertEquals("alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"shop\"", m.toString());
    }

    @Test
    void takesBracesSpacesATrailingCommaSingleQuotesAndEveryOperator() {
        AlertMatchers m = AlertMatchers.parse(" { namespace = 'shop' , severity!=\"info\", alertname=~\"Kube.*\",pod !~ 'canary-.*', } ");
        assertEquals(List.of(Operator.EQUAL, Operator.NOT_EQUAL, Operator.REGEX, Operator.NOT_REGEX),
                m.matchers().stream().map(AlertMatcher::operator).toList());
        assertEquals("namespace=\"shop\",severity!=\"info\",alertname=~\"Kube.*\",pod!~\"canary-.*\"", m.toString());
        assertEquals(m, AlertMatchers.parse(m.toString()), "what it writes reads back the same");
        assertEquals(List.of(true, false, true, false), m.matchers().stream().map(AlertMatcher::isEqual).toList());
        assertEquals(Operator.NOT_REGEX, Operator.of(true, false));
    }

    /** Alertmanager's escapes: \" \\ \n, and any other backslash kept, so =~"\d+" is the expression \d+. */
    @Test
    void escapesAreAlertmanagers() {
        AlertMatchers m = AlertMatchers.parse("summary=\"say \\\"hi\\\"\\nback\\\\slash\",code=~\"5\\d\\d\"");
        assertEquals("say \"hi\"\nback\\slash", m.matchers().get(0).value());
        assertEquals("5\\d\\d", m.matchers().get(1).value());
        assertEquals("summary=\"say \\\"hi\\\"\\nback\\\\slash\",code=~\"5\\\\d\\\\d\"", m.toString());
        assertEquals(m, AlertMatchers.parse(m.toString()));
        assertEquals("it's", AlertMatchers.parse("a='it\\'s'").matchers().get(0).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{}", " { } "})
    void anEmptySetIsRefused(String text) {
        assertEquals("no alert matchers: name the alerts, e.g. alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\","
                + "namespace=\"shop\"", refusal(text));
        assertThrows(IllegalArgumentException.class, () -> AlertMatchers.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new AlertMatchers(List.of()));
    }

    /** Each would silence (or watch) every alert, or every alert but a few: the sets a rollout must never silence. */
    @ParameterizedTest
    @ValueSource(strings = {"alertname=~\".*\"", "namespace=~\".+\"", "alertname!=\"\"", "alertname!=\"Watchdog\"",
            "namespace=\"\"", "pod!~\"canary-.*\"", "alertname=~\".*\",namespace!=\"\"", "severity=~\"\\\\S+\"",
            "alertname=~\"(?s).*\"", "namespace=~\"shop|\"", "a=~\"[\\\\w .-]+\""})
    void aSetThatSelectsEveryAlertIsRefused(String text) {
        String m = refusal(text);
        assertTrue(m.startsWith("the alert matchers " + AlertMatchers.parse("namespace=\"x\"," + text).matchers().stream()
                .skip(1).map(AlertMatcher::toString).reduce((a, b) -> a + "," + b).orElseThrow() + " select every alert: "), m);
        assertTrue(m.endsWith("(=~\".*\", =~\".+\", =\"\", != and !~ only narrow a selection)"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"namespace=\"shop\",alertname!=\"Watchdog\"", "alertname=~\"Kube.*\"", "severity=~\"critical|page\"",
            "pod!~\"canary-.*\",service=\"checkout\"", "namespace=~\"shop-.+\""})
    void oneMatcherThatNamesValuesCarriesTheSet(String text) {
        assertEquals(text, AlertMatchers.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "namespace=shop|cannot read the alert matchers: expected a quoted value after namespace=, e.g. namespace=\"shop\" at position 11",
        "namespace=\"shop|cannot read the alert matchers: the value of namespace has no closing \" at position 11",
        "namespace~\"shop\"|cannot read the alert matchers: expected =, !=, =~ or !~ after namespace at position 10",
        "a=\"b\" c=\"d\"|cannot read the alert matchers: expected ',' at position 7",
        "{a=\"b\"|cannot read the alert matchers: expected ',' or '}' at position 7",
        "=\"b\"|cannot read the alert matchers: expected a label name at position 1",
        "a=\"b\",,|cannot read the alert matchers: expected a label name at position 7",
        "1a=\"b\"|'1a' is not a label name (letters, digits and '_', not starting with a digit) (at position 1)",
        "a=\"b\",x=~\"(\"|the value of x is not a valid regular expression (Unclosed group) (at position 7)"})
    void aMistakeIsShownWhereItIs(String text, String message) {
        assertEquals(message, refusal(text));
    }

    @Test
    void veryLongTextIsNotRead() {
        String m = refusal("a=\"" + "x".repeat(AlertMatchers.MAX_LENGTH) + "\"");
        assertEquals("the alert matchers are longer than 4096 characters", m);
    }

    @Test
    void matchesAsTheServersDo() {
        AlertMatchers m = AlertMatchers.parse("namespace=\"shop\",alertname=~\"Kube.*|PodNotReady\",pod!~\"canary-.*\"");
        assertTrue(m.matches(Map.of("namespace", "shop", "alertname", "PodNotReady")), "a missing label is \"\"");
        assertTrue(m.matches(Map.of("namespace", "shop", "alertname", "KubePodCrashLooping", "pod", "web-1")));
        assertFalse(m.matches(Map.of("namespace", "shop", "alertname", "KubePodCrashLooping", "pod", "canary-1")));
        assertFalse(m.matches(Map.of("namespace", "shop", "alertname", "XPodNotReady")), "regular expressions are anchored");
        assertFalse(m.matches(Map.of("alertname", "PodNotReady")));
    }

    @Test
    void theFiringAlertsQueryOfPrometheus() {
        assertEquals("ALERTS{alertstate=\"firing\",severity=\"critical\",service=\"checkout\"}",
                PrometheusAlerts.firingQuery(AlertMatchers.parse("severity='critical', service='checkout'")));
        assertEquals("ALERTS{alertstate=\"firing\",alertname=~\"A|B\",summary!=\"say \\\"hi\\\"\"}",
                PrometheusAlerts.firingQuery(AlertMatchers.parse("alertname=~\"A|B\",summary!='say \"hi\"'")));
        assertEquals("an alert selector cannot name alertstate: the query asks for the firing alerts itself",
                assertThrows(IllegalArgumentException.class, () -> PrometheusAlerts.firingQuery(
                        AlertMatchers.parse("service=\"checkout\",alertstate=\"pending\""))).getMessage());
    }

    @Test
    void aFiringAlertFromTheAlertsSeriesKeepsOnlyTheAlertsLabels() {
        FiringAlert a = FiringAlert.ofAlertsSeries(Map.of("__name__", "ALERTS", "alertstate", "firing", "alertname", "HighErrorRate",
                "service", "checkout", "color", "green"));
        assertEquals(Map.of("alertname", "HighErrorRate", "service", "checkout", "color", "green"), a.labels());
        assertEquals("HighErrorRate", a.name());
        assertEquals("HighErrorRate{color=\"green\",service=\"checkout\"}", a.toString());
        assertEquals("", new FiringAlert(Map.of("x", "y"), Instant.EPOCH).name());
    }

    @Test
    void aSilenceRequestSaysWhoAndWhyAndEndsAfterItStarts() {
        AlertMatchers m = AlertMatchers.parse("namespace=\"shop\"");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        assertEquals("jenkins", SilenceRequest.byJenkins(m, t, t.plusSeconds(60), "rollout").createdBy());
        assertThrows(IllegalArgumentException.class, () -> SilenceRequest.byJenkins(m, t, t, "rollout"));
        assertThrows(IllegalArgumentException.class, () -> SilenceRequest.byJenkins(m, t, t.plusSeconds(1), " "));
        assertThrows(IllegalArgumentException.class, () -> new SilenceRequest(m, t, t.plusSeconds(1), "", "rollout"));
    }
}
