package io.jenkins.plugins.bluegreen.engine;

/**
 * What one tick of an {@link Analysis} found for one gate: the line for the log and the record, and the same as data.
 */
public record Evaluation(String text, GatePoint point) {

    @Override
    public String toString() {
        return text;
    }
}
