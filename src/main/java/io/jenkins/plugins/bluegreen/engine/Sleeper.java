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
            long millis = Duration.between(clock.instant(), instant).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        };
    }
}
