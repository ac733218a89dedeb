package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;

/**
 * How long operations wait for the service's lock, and for the stable colour during a rollback.
 *
 * @param lockWait how long deploy, shift, promote and decommission wait while another owner holds the lock
 *     (zero: fail at once, naming the holder)
 * @param rollbackLockWait how long a rollback waits: longer, since it must get through (a dead holder's lease
 *     expires and is taken over)
 * @param rollbackReadinessTimeout how long a rollback waits for a stable colour that is not fully ready
 */
public record EngineSettings(Duration lockWait, Duration rollbackLockWait, Duration rollbackReadinessTimeout) {

    public static final EngineSettings DEFAULTS =
            new EngineSettings(Duration.ZERO, Duration.ofSeconds(60), Duration.ofMinutes(2));

    public static final Duration MAX_BAKE_TIME = Duration.ofDays(7);

    public EngineSettings {
        if (lockWait == null || lockWait.isNegative() || rollbackLockWait == null || rollbackLockWait.isNegative()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "lock waits must be zero or positive");
        }
        rollbackReadinessTimeout = Durations.check("rollback readiness timeout", rollbackReadinessTimeout,
                Duration.ofMinutes(2), DeploySpec.MAX_READINESS_TIMEOUT);
    }
}
