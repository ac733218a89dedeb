package io.jenkins.plugins.bluegreen.engine;

/**
 * The outcome of waiting for a colour to become ready.
 *
 * @param ready whether every desired replica of the current template is ready
 * @param readyReplicas how many were ready at the end
 * @param desired how many were wanted
 * @param diagnosis when not ready: why, in a sentence or a few (Pending pods and their scheduling events, image
 *     pull errors, crash loops, failing readiness probes, quota); empty when ready
 */
public record Readiness(boolean ready, int readyReplicas, int desired, String diagnosis) {}
