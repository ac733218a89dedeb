package io.jenkins.plugins.bluegreen.engine;

import java.util.List;

/**
 * One colour's Deployment as the cluster reports it.
 *
 * @param color the colour
 * @param name the Deployment's name ({@code <service>-<color>})
 * @param image the image of the first (or named) container
 * @param revision a digest of the pod template the plugin applied, to recognise the same version again
 * @param desired {@code spec.replicas}
 * @param ready {@code status.readyReplicas} of the current generation (0 while a new template rolls out)
 * @param objects {@code Kind/name} of everything the colour owns: its Deployment, its Service and its bundle's
 *     other objects
 */
public record Workload(Color color, String name, String image, String revision, int desired, int ready, List<String> objects) {

    public Workload {
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** A colour that owns only its Deployment. */
    public Workload(Color color, String name, String image, String revision, int desired, int ready) {
        this(color, name, image, revision, desired, ready, List.of("Deployment/" + name));
    }

    /** The share of its full capacity this colour can carry now, in percent (0 when scaled to zero). */
    public int capacityPercent() {
        return desired <= 0 ? 0 : (int) Math.min(100, (100L * ready) / desired);
    }
}
