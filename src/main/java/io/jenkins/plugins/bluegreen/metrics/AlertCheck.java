package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.alerting.AlertMatchers;
import io.jenkins.plugins.bluegreen.alerting.PrometheusAlerts;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An alert gate: fails as soon as an alert that the selector matches fires, with the alerts' names in the reason,
 * so that the rules the SRE team already keeps become rollout gates. Read from Prometheus' {@code ALERTS} series, where
 * every alerting rule writes its firing alerts; a silence in Alertmanager does not hide an alert from it. Its gate's
 * value is the number of firing alerts ({@code count(ALERTS{...}) or vector(0)}: 0, never no data, when none fires).
 * A plain class: River saves it with the step.
 */
public final class AlertCheck implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String alertsQuery;

    /** @throws IllegalArgumentException when the selector is empty, selects every alert, or is not valid */
    public AlertCheck(String selector) {
        this.alertsQuery = PrometheusAlerts.firingQuery(AlertMatchers.parse(selector));
    }

    /** The gate: fails when its count of firing alerts is above 0, at once. */
    public Gate gate(String name, Gate defaults) {
        return new Gate(name, "count(" + alertsQuery + ") or vector(0)", Comparison.GT, 0, null, java.time.Duration.ZERO,
                defaults.interval(), defaults.onNoData(), defaults.onError(), defaults.inconclusiveLimit());
    }

    GateEvaluation evaluate(PrometheusClient client, Gate gate, Instant at) throws InterruptedException {
        List<Sample> firing;
        try {
            firing = client.instantQuery(alertsQuery, at);
        } catch (PrometheusException e) {
            return GateEvaluation.providerError(gate, e, at);
        }
        if (firing.isEmpty()) {
            return GateEvaluation.of(gate, 0, Verdict.PASS, "no matching alert is firing", at, null);
        }
        TreeSet<String> names = new TreeSet<>();
        for (Sample s : firing) {
            Map<String, String> labels = s.labels();
            String severity = labels.get("severity");
            names.add(labels.getOrDefault("alertname", "?") + (severity == null ? "" : " (" + severity + ")"));
        }
        return GateEvaluation.of(gate, firing.size(), Verdict.FAIL, "firing: " + String.join(", ", names), at, at);
    }

}
