package io.jenkins.plugins.bluegreen.alerting;

import java.util.stream.Collectors;

/**
 * The firing alerts of a selector from Prometheus' {@code ALERTS} series, where every alerting rule writes its pending
 * and firing alerts. Prometheus knows nothing of silences: an alert silenced in Alertmanager still fires here.
 */
public final class PrometheusAlerts {

    private PrometheusAlerts() {}

    /**
     * {@code ALERTS{alertstate="firing",severity="critical",service="checkout"}}: an instant query of it returns one
     * sample per firing alert that matches, and nothing when none does.
     *
     * @throws IllegalArgumentException when the selector names {@code alertstate} or {@code __name__}, which the query sets
     */
    public static String firingQuery(AlertMatchers selector) {
        for (AlertMatcher m : selector.matchers()) {
            if (m.name().equals("alertstate") || m.name().equals("__name__")) {
                throw new IllegalArgumentException("an alert selector cannot name " + m.name()
                        + ": the query asks for the firing alerts itself");
            }
        }
        return selector.matchers().stream().map(AlertMatcher::toString)
                .collect(Collectors.joining(",", "ALERTS{alertstate=\"firing\",", "}"));
    }
}
