package io.jenkins.plugins.bluegreen.engine;

/** The outcome of one gate evaluation, or of an analysis of several gates. */
public enum Verdict {
    /** Measured and within the threshold. */
    PASS,
    /** Breached for the whole sustain window, or a policy said so. */
    FAIL,
    /** Not measurable (no data, provider error) under the default policy: neither promote nor roll back yet. */
    INCONCLUSIVE,
    /** Within the threshold but past the gate's warning level: recorded, does not fail the gate. */
    WARNING
}
