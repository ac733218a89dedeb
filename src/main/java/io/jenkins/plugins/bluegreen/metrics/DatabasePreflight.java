package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.PreFlightCheck;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import java.time.Clock;
import java.util.Map;

/**
 * The database connection budget as a pre-flight check of a deploy (second guide): both colours' pools at their
 * peak must fit into {@code max_connections}, read from postgres_exporter through Prometheus. Missing data refuses
 * the rollout: this check never passes on what it could not see.
 */
public final class DatabasePreflight implements PreFlightCheck {

    private final PrometheusClient prometheus;
    private final Map<String, String> serverMatchers;
    private final int poolSizePerPod;
    private final int headroomPercent;
    private final Clock clock;

    /**
     * @param serverMatchers label matchers selecting one PostgreSQL server's exporter series (may be empty)
     * @param poolSizePerPod each pod's connection pool size (e.g. HikariCP maximumPoolSize)
     * @param headroomPercent share of usable connections kept free (0 to 50)
     */
    public DatabasePreflight(PrometheusClient prometheus, Map<String, String> serverMatchers, int poolSizePerPod,
            int headroomPercent, Clock clock) {
        this.prometheus = prometheus;
        this.serverMatchers = Map.copyOf(serverMatchers);
        this.poolSizePerPod = poolSizePerPod;
        this.headroomPercent = headroomPercent;
        this.clock = clock;
        demand("blue", 0, "green", 0); // validates pool size and headroom now, not in the middle of a deploy
    }

    private DatabaseCapacity.Demand demand(String stable, int stableReplicas, String candidate, int candidateReplicas) {
        return new DatabaseCapacity.Demand(stable, stableReplicas, poolSizePerPod, candidate, candidateReplicas, poolSizePerPod,
                headroomPercent);
    }

    @Override
    public String check(Context c) {
        String stable = c.stable() == null ? c.candidate().other().label() : c.stable().label();
        DatabaseCapacity.Result result;
        try {
            result = DatabaseCapacity.check(prometheus, clock.instant(), serverMatchers,
                    demand(stable, c.stableReplicas(), c.candidate().label(), c.candidateReplicas()));
        } catch (DatabaseCapacityException e) {
            throw new RolloutException(RolloutException.Kind.PRE_FLIGHT,
                    "the database connection pre-flight could not run (" + e.reason() + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException(RolloutException.Kind.PRE_FLIGHT, "interrupted during the database connection pre-flight");
        }
        if (!result.fits()) {
            throw new RolloutException(RolloutException.Kind.PRE_FLIGHT, "database connections would not fit: " + result.message());
        }
        return "database connections fit: " + result.message();
    }
}
