package io.jenkins.plugins.bluegreen.metrics;

/**
 * The database connection pre-flight could not decide: the metrics it needs are missing, ambiguous or
 * implausible, or Prometheus failed. Never to be read as a pass.
 */
public class DatabaseCapacityException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the pre-flight could not decide. */
    public enum Reason {
        /** Prometheus itself failed (unreachable, HTTP error, bad query). */
        PROMETHEUS_ERROR,
        /** No series: postgres_exporter is down, not scraped, or the label matchers match nothing. */
        NO_DATA,
        /** postgres_exporter is scraped but cannot reach PostgreSQL ({@code pg_up 0}). */
        DATABASE_UNREACHABLE,
        /** The matchers select more than one PostgreSQL server. */
        AMBIGUOUS,
        /** The numbers cannot be right (e.g. reserved connections not below max_connections). */
        IMPLAUSIBLE
    }

    private final Reason reason;

    public DatabaseCapacityException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DatabaseCapacityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
