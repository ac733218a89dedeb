package io.jenkins.plugins.bluegreen.engine;

/**
 * A colour's version as the rollout record keeps it.
 *
 * @param color the colour it runs in
 * @param deployment the Deployment's name
 * @param image the (main container's) image
 * @param revision the pod-template digest ({@link Workload#revision()})
 * @param replicas the replicas it runs with when serving
 */
public record Revision(Color color, String deployment, String image, String revision, int replicas) {

    static Revision of(Workload w) {
        return new Revision(w.color(), w.name(), w.image(), w.revision(), w.desired());
    }
}
