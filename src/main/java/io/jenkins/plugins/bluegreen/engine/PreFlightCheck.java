package io.jenkins.plugins.bluegreen.engine;

/**
 * A check that must pass before the candidate is deployed, e.g. that the database can hold both colours'
 * connection pools at their peak. It runs after the engine's own pre-flight (router, manifest, stable colour)
 * and before anything in the cluster changes.
 */
@FunctionalInterface
public interface PreFlightCheck {

    /**
     * What the rollout is about to do.
     *
     * @param stable the serving colour, or null on the first rollout
     * @param stableReplicas its replicas (0 on the first rollout)
     * @param candidateReplicas the replicas the candidate will run with at its peak
     */
    record Context(RolloutTarget target, Color stable, int stableReplicas, Color candidate, int candidateReplicas) {}

    /**
     * @return one line for the record saying what was checked and with which numbers
     * @throws RolloutException of kind PRE_FLIGHT saying why the rollout must not start (also when interrupted)
     */
    String check(Context context);
}
