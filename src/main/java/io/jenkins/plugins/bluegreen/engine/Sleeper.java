package io.jenkins.plugins.bluegreen.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Waits until an instant of the engine's clock; tests move a test clock instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    void sleepUntil(Instant instant) throws InterruptedException;

    /** Really sleeps, on the given clock. */
    static Sleeper of(Clock clock) {
        return instant -> {
            long nanos = Duration.between(clock.instant(), instant).toNanos();
            if (nanos > 0) {
                Thread.sleep((nanos + 999_999) / 1_000_000); // round up: waking early would tick with nothing due
            }
        };
    }
}
