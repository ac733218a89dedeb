package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;
import java.util.List;

/**
 * What {@link RolloutEngine#deploy} needs, validated when built: bad input is refused before anything in the
 * cluster changes.
 *
 * @param target the service
 * @param source how the candidate is made
 * @param router how traffic moves; must match the record's router once there is one
 * @param replicas the candidate's replicas, or null for the stable colour's (or the manifest's, or 1)
 * @param readinessTimeout how long the candidate may take to become ready
 * @param owner who runs the rollout (e.g. a build URL); shown to others who find the service locked
 * @param preFlight further checks that must pass before anything changes (e.g. database connections)
 */
public record DeploySpec(
        RolloutTarget target, CandidateSource source, RouterSpec router, Integer replicas, Duration readinessTimeout, String owner,
        List<PreFlightCheck> preFlight) {

    public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration MAX_READINESS_TIMEOUT = Duration.ofHours(2);
    public static final int MAX_REPLICAS = 1000;

    public DeploySpec {
        if (target == null || source == null || router == null) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "a target, a candidate source and a router are required");
        }
        if (replicas != null && (replicas < 1 || replicas > MAX_REPLICAS)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "replicas must be from 1 to " + MAX_REPLICAS + ", got " + replicas);
        }
        readinessTimeout = Durations.check("readiness timeout", readinessTimeout, DEFAULT_READINESS_TIMEOUT, MAX_READINESS_TIMEOUT);
        owner = Owners.check(owner);
        preFlight = preFlight == null ? List.of() : List.copyOf(preFlight);
    }

    /** A spec with no pre-flight checks beyond the engine's own. */
    public DeploySpec(
            RolloutTarget target, CandidateSource source, RouterSpec router, Integer replicas, Duration readinessTimeout, String owner) {
        this(target, source, router, replicas, readinessTimeout, owner, List.of());
    }
}
