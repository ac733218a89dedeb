package io.jenkins.plugins.bluegreen.engine;

import java.util.List;

/**
 * A colour's version as the rollout record keeps it.
 *
 * @param color the colour it runs in
 * @param deployment the Deployment's name
 * @param image the (main container's) image
 * @param revision the pod-template digest ({@link Workload#revision()})
 * @param replicas the replicas it runs with when serving
 * @param objects {@code Kind/name} of everything the colour owns ({@link Workload#objects()}); null in records
 *     written before bundles
 */
public record Revision(Color color, String deployment, String image, String revision, int replicas, List<String> objects) {

    public Revision {
        objects = objects == null ? null : List.copyOf(objects);
    }

    public Revision(Color color, String deployment, String image, String revision, int replicas) {
        this(color, deployment, image, revision, replicas, null);
    }

    static Revision of(Workload w) {
        return new Revision(w.color(), w.name(), w.image(), w.revision(), w.desired(), w.objects());
    }
}
