package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.time.Duration;
import java.util.Map;

/**
 * The built-in gates, with the thresholds of the incident guide as defaults: error rate &gt; 1 % for 60 s,
 * P95 latency &gt; 1 s for 2 min, database connections &ge; 90 % of {@code max_connections} (&ge; 80 % is a
 * warning).
 *
 * <p>Label contract. The application series must carry {@code namespace}, {@code service} and {@code color}
 * labels (from Kubernetes service discovery relabelling of the pod labels, or as constant labels exposed by the
 * app) and use these metrics:
 * <ul>
 *   <li>{@code http_requests_total} counter with a {@code code} label holding the HTTP status ("200", "503"). An app
 *       that never answered 5xx has no 5xx series: the error rate then counts as 0 ({@code or vector(0)}), while a
 *       colour without any requests still has no value (no data is not "no errors");
 *   <li>{@code http_request_duration_seconds} classic histogram in seconds ({@code _bucket} series with {@code le}).
 * </ul>
 * The database gate reads postgres_exporter's {@code pg_stat_database_numbackends} and
 * {@code pg_settings_max_connections}. It has no service or colour matcher on purpose: blue and green share
 * the database, and the shared budget is what runs out. It is computed per PostgreSQL server ({@code instance})
 * and the fullest server counts, so several exporters on one Prometheus are not summed together; if the
 * Prometheus also scrapes unrelated databases, use your own PromQL with a {@code job} or {@code instance} matcher.
 */
public enum GateTemplate {

    ERROR_RATE("errorRate",
            "(sum(rate(http_requests_total{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\",code=~\"5..\"}[1m]))"
                    + " or vector(0))"
                    + " / sum(rate(http_requests_total{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"}[1m]))",
            Comparison.GT, 0.01, null, Duration.ofSeconds(60)),

    P95_LATENCY("p95Latency",
            "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket"
                    + "{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"}[1m])))",
            Comparison.GT, 1.0, null, Duration.ofSeconds(120)),

    // The candidate's share of the requests; in an analysis it is compared with the configured weight (TrafficShare),
    // the threshold being the tolerance in share points.
    TRAFFIC_SHARE(TrafficShare.NAME,
            "sum(rate(http_requests_total{namespace=\"${namespace}\",service=\"${service}\",color=\"${color}\"}[1m]))"
                    + " / sum(rate(http_requests_total{namespace=\"${namespace}\",service=\"${service}\"}[1m]))",
            Comparison.GT, 0.02, null, Duration.ZERO),

    // The guide rolls back as soon as connections reach 90 %: no sustain window.
    DB_CONNECTION_RATIO("dbConnectionRatio",
            "max(sum by (instance) (pg_stat_database_numbackends) / max by (instance) (pg_settings_max_connections))",
            Comparison.GE, 0.90, 0.80, Duration.ZERO);

    private final String id;
    private final String promql;
    private final Comparison comparison;
    private final double threshold;
    private final Double warningThreshold;
    private final Duration sustain;

    GateTemplate(String id, String promql, Comparison comparison, double threshold, Double warningThreshold, Duration sustain) {
        this.id = id;
        this.promql = promql;
        this.comparison = comparison;
        this.threshold = threshold;
        this.warningThreshold = warningThreshold;
        this.sustain = sustain;
    }

    /** The name users write in a Pipeline, e.g. {@code errorRate}. */
    public String id() {
        return id;
    }

    /** The PromQL with its {@code ${...}} variables. */
    public String promql() {
        return promql;
    }

    /** The template by its {@link #id()}, or null. */
    public static GateTemplate byId(String id) {
        for (GateTemplate t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The gate with the guide's defaults for one colour of a service; change them with {@code Gate.with...}.
     *
     * @throws IllegalArgumentException when a value is not {@code [a-z0-9-]+} (see {@link PromqlTemplate})
     */
    public Gate gate(String namespace, String service, String color) {
        if (namespace == null || service == null || color == null) {
            throw new IllegalArgumentException("the " + id + " gate needs a namespace, a service and a colour");
        }
        String query = PromqlTemplate.render(promql, Map.of("namespace", namespace, "service", service, "color", color));
        return new Gate(id, query, comparison, threshold, warningThreshold, sustain, null, null, null,
                Gate.DEFAULT_INCONCLUSIVE_LIMIT);
    }

    public Gate gate(RolloutTarget target, Color color) {
        return gate(target.namespace(), target.service(), color.label());
    }
}
