package io.jenkins.plugins.bluegreen.engine;

/**
 * One line of a rollout's history, as kept in the record and shown in build logs.
 *
 * @param at ISO-8601 instant
 * @param type a short tag: phase, traffic, ready, rollback, lock, note
 * @param message what happened, for people
 */
public record RolloutEvent(String at, String type, String message) {

    @Override
    public String toString() {
        return at + " [" + type + "] " + message;
    }
}
