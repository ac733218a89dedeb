package io.jenkins.plugins.bluegreen.engine;

/**
 * A rollout operation that cannot go on. The message is meant for the person running the Pipeline: it says what
 * was wrong and, where it helps, what to do; it never contains secrets.
 */
public class RolloutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, so that callers can react (e.g. roll back on READINESS, not on INVALID_INPUT). */
    public enum Kind {
        /** A bad argument or manifest, found before anything in the cluster changed. */
        INVALID_INPUT,
        /** Something the rollout needs is missing in the cluster (namespace, Service, router object, stable colour). */
        NOT_FOUND,
        /** The operation does not fit the rollout's current phase (e.g. decommission before the bake time). */
        WRONG_PHASE,
        /** Another owner holds the service's lease. */
        LOCKED,
        /** A pre-flight check (e.g. the database connection budget) refused the rollout before anything changed. */
        PRE_FLIGHT,
        /** The candidate did not become ready; the message says why. */
        READINESS,
        /** The traffic router did not take the weights, or a colour cannot carry its share. */
        TRAFFIC,
        /** The cluster refused or failed a request. */
        CLUSTER
    }

    private final Kind kind;

    public RolloutException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RolloutException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
