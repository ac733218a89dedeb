package io.jenkins.plugins.bluegreen.engine;

/**
 * Moves traffic between the colours of one service (Istio VirtualService, Gateway API HTTPRoute, or a Service
 * selector). Implementations live in the {@code traffic} package; each write is read back from the cluster.
 */
public interface TrafficRouter {

    /** The router's spec, as stored in the rollout record. */
    RouterSpec spec();

    /**
     * Checks that the router object exists and can route to both colours, without changing anything.
     *
     * @throws RolloutException of kind NOT_FOUND or INVALID_INPUT naming what is wrong
     */
    void verify();

    /** The weights in effect now, read from the cluster. */
    Weights read();

    /**
     * Writes the weights (retrying on conflicts), reads the object back and returns what it holds.
     *
     * @throws RolloutException of kind TRAFFIC when the read-back differs, or INVALID_INPUT when this router
     *     cannot express the weights (a Service selector takes only 0/100)
     */
    Weights write(Weights weights);

    /** Whether only 0/100 splits are possible. */
    default boolean allOrNothing() {
        return spec().kind() == RouterSpec.Kind.SERVICE_SELECTOR;
    }
}
