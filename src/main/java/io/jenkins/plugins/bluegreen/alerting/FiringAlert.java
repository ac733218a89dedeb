package io.jenkins.plugins.bluegreen.alerting;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An alert that fires now, from Alertmanager or from Prometheus' {@code ALERTS} series: its labels (with {@code
 * alertname}) and, when the source says, since when it is active.
 *
 * @param activeSince when the alert began, or null when the source does not say (Prometheus' {@code ALERTS})
 */
public record FiringAlert(Map<String, String> labels, Instant activeSince) {

    public FiringAlert {
        labels = Map.copyOf(labels);
    }

    /**
     * An alert from a sample of {@code ALERTS{alertstate="firing"}}: its labels without {@code __name__} and
     * {@code alertstate}, which only say that it is a firing alert.
     */
    public static FiringAlert ofAlertsSeries(Map<String, String> seriesLabels) {
        Map<String, String> labels = new TreeMap<>(seriesLabels);
        labels.remove("__name__");
        labels.remove("alertstate");
        return new FiringAlert(labels, null);
    }

    /** The {@code alertname} label, or "" without one. */
    public String name() {
        return labels.getOrDefault("alertname", "");
    }

    /** {@code HighErrorRate{color="green",namespace="shop"}}: the name, then the other labels sorted. */
    @Override
    public String toString() {
        return name() + new TreeMap<>(labels).entrySet().stream()
                .filter(e -> !e.getKey().equals("alertname"))
                .map(e -> e.getKey() + "=" + AlertMatcher.quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
