package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * The Deployments of the two colours of one service in one namespace. The Kubernetes implementation names them
 * {@code <service>-blue} and {@code <service>-green} and labels Deployment, selector and pod template with the
 * colour.
 */
public interface Workloads {

    /** The label that tells the colours apart on Deployments, pods and Service selectors. */
    String COLOR_LABEL = "bluegreen.jenkins.io/color";

    /** The annotation holding {@link Workload#revision()}. */
    String REVISION_ANNOTATION = "bluegreen.jenkins.io/revision";

    /** The colour's Deployment, if it exists. */
    Optional<Workload> find(Color color);

    /**
     * Checks a candidate source without changing anything: the manifest parses through the typed model, holds a
     * single apps/v1 Deployment (and at most one Service), and every image is immutable; or, for a new image,
     * the stable colour's Deployment exists and has the named container.
     *
     * @param stable the colour whose Deployment a {@link CandidateSource.NewImage} starts from
     * @return the revision the candidate will have
     * @throws RolloutException of kind INVALID_INPUT or NOT_FOUND
     */
    String validate(CandidateSource source, Color stable);

    /**
     * Creates or replaces the colour's Deployment from the source with {@code replicas} replicas (0: the source's
     * own, i.e. the manifest's or the stable colour's, else 1), and makes sure
     * a Service {@code <service>-<color>} selects exactly that colour's pods (for routers that address colours
     * by Service, and for smoke tests). Idempotent: applying the same source again changes nothing.
     */
    Workload apply(Color color, CandidateSource source, Color stable, int replicas);

    /**
     * Sets the colour's replicas; a missing Deployment is left missing. At 0 the colour's autoscaler is deleted first,
     * since it would scale the colour back up; its other objects stay, for diagnosis.
     */
    void scale(Color color, int replicas);

    /**
     * Retires a colour once the other serves alone: scaled to zero, and every other object of its bundle deleted (by
     * label: nothing else). The Deployment and the colour Service stay, at zero, as the record of what ran.
     */
    default void retire(Color color) {
        scale(color, 0);
    }

    /** Waits for the colour's Deployment to have all desired replicas ready, or for the timeout. */
    Readiness awaitReady(Color color, Duration timeout);
}
