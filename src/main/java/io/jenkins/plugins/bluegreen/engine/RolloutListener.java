package io.jenkins.plugins.bluegreen.engine;

/** Receives each event as it is recorded, e.g. to print it in a build log. */
@FunctionalInterface
public interface RolloutListener {

    RolloutListener NONE = (target, event) -> {};

    void onEvent(RolloutTarget target, RolloutEvent event);
}
