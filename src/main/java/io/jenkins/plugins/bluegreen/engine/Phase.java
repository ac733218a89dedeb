package io.jenkins.plugins.bluegreen.engine;

/**
 * Where a service's rollout stands. A new rollout may start from {@link #STABLE} or {@link #ROLLED_BACK}; every
 * other phase belongs to a rollout in progress, which must be promoted and decommissioned, or rolled back.
 */
public enum Phase {
    /** One colour serves everything; nothing is in progress. */
    STABLE,
    /** The candidate colour is being created and awaited; it has no traffic. */
    DEPLOYING,
    /** The candidate is ready and has no traffic yet. */
    READY,
    /** New weights are being written (the record holds the target). */
    SHIFTING,
    /** The weights in the record are in effect. */
    SHIFTED,
    /** The candidate has all traffic; the old colour stays up until the bake time has passed. */
    PROMOTED,
    /** Traffic is being returned to the stable colour. */
    ROLLING_BACK,
    /** The stable colour has all traffic again and the candidate is scaled to zero. */
    ROLLED_BACK;

    /** Whether a new rollout may start from here. */
    public boolean isSettled() {
        return this == STABLE || this == ROLLED_BACK;
    }
}
