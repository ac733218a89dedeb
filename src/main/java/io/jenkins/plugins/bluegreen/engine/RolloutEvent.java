package io.jenkins.plugins.bluegreen.engine;

/**
 * One line of a rollout's history, as kept in the record and shown in build logs.
 *
 * @param at ISO-8601 instant
 * @param type a short tag: phase, traffic, ready, rollback, lock, note
 * @param message what happened, for people
 * @param weights the live weights as the record held them after the event; null in records from before they were kept
 * @param gate for a gate evaluation, its value, threshold and verdict as data; else null
 */
public record RolloutEvent(String at, String type, String message, Weights weights, GatePoint gate) {

    public RolloutEvent(String at, String type, String message) {
        this(at, type, message, null, null);
    }

    @Override
    public String toString() {
        return at + " [" + type + "] " + message;
    }
}
