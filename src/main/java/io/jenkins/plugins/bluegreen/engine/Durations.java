package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;

/** Bounds for the durations users give: positive and not absurd. */
final class Durations {

    private Durations() {}

    static Duration check(String what, Duration value, Duration defaultValue, Duration max) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isNegative() || value.isZero()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the " + what + " must be positive, got " + value.toSeconds() + " s");
        }
        if (value.compareTo(max) > 0) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "the " + what + " of " + value.toSeconds() + " s is longer than the limit of " + max.toSeconds() + " s");
        }
        return value;
    }
}
