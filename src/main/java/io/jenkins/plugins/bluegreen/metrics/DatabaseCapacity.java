package io.jenkins.plugins.bluegreen.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The database connection pre-flight (second deployment guide: a 50 % shift exhausted PostgreSQL's
 * {@code max_connections} because blue and green pools together outgrew it). Before the candidate colour is
 * scaled up, it decides whether both colours' connection pools fit at their peak.
 *
 * <h2>Model</h2>
 * Facts from postgres_exporter, read through Prometheus at one instant: {@code M = max_connections},
 * {@code R = superuser_reserved_connections}, {@code B = current client backends} (sum of
 * {@code pg_stat_database_numbackends}). Declared facts: replicas and per-pod pool size (maximumPoolSize)
 * of the stable colour ({@code S}, {@code Ps}) and of the candidate at its peak ({@code C}, {@code Pc}).
 * <pre>
 *   usable   = M − R − headroom           headroom = ceil(h % × (M − R)), h in 0..50, default 10
 *   others   = max(0, B − S×Ps)           connections that cannot be the stable pods'
 *   required = S×Ps + C×Pc + others       fits when required ≤ usable
 * </pre>
 * Applications connect as ordinary roles, so the {@code R} superuser slots are not theirs. The stable pools
 * are counted full (a pool grows to its maximum under load, which is exactly when the shift happens), and
 * current backends are counted only beyond what full stable pools could explain: those belong to someone
 * else (other services, jobs, psql sessions, the exporter) and will still be there at the peak. This is a
 * lower bound on the others, so the check never double-counts the stable colour. It must run before the
 * candidate holds connections; candidate connections already open would count as others (a refusal, never
 * a false pass).
 *
 * <p>The remedy the guide names is a smaller per-pod pool: the result gives the largest pool size that fits
 * when both colours use it, {@code floor((usable − others) / (S + C))}.
 */
public final class DatabaseCapacity {

    public static final int DEFAULT_HEADROOM_PERCENT = 10;
    public static final int MAX_HEADROOM_PERCENT = 50;

    static final String MAX_CONNECTIONS = "pg_settings_max_connections";
    static final String RESERVED = "pg_settings_superuser_reserved_connections";
    static final String BACKENDS = "pg_stat_database_numbackends";
    static final String UP = "pg_up";

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    // No quotes, backslashes, braces or whitespace: a value can never leave its PromQL string literal.
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.:/@+-]{1,200}");
    private static final Pattern COLOUR = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    private DatabaseCapacity() {
    }

    /** What the rollout will ask of the database at its peak, as the user declared it. */
    public record Demand(String stableColour, int stableReplicas, int stablePoolSize,
                         String candidateColour, int candidateReplicas, int candidatePoolSize,
                         int headroomPercent) {
        public Demand {
            stableColour = colour(stableColour, "stable");
            candidateColour = colour(candidateColour, "candidate");
            replicas(stableReplicas, stableColour);
            replicas(candidateReplicas, candidateColour);
            poolSize(stablePoolSize, stableColour);
            poolSize(candidatePoolSize, candidateColour);
            if (headroomPercent < 0 || headroomPercent > MAX_HEADROOM_PERCENT) {
                throw new IllegalArgumentException("the connection headroom must be between 0 and "
                        + MAX_HEADROOM_PERCENT + " % of the usable connections, not " + headroomPercent + " %");
            }
        }

        /** Both colours with the same pool size, and the default headroom of 10 %. */
        public static Demand of(String stableColour, int stableReplicas, String candidateColour,
                                int candidateReplicas, int poolSize) {
            return new Demand(stableColour, stableReplicas, poolSize, candidateColour, candidateReplicas, poolSize,
                    DEFAULT_HEADROOM_PERCENT);
        }

        public Demand withHeadroomPercent(int percent) {
            return new Demand(stableColour, stableReplicas, stablePoolSize, candidateColour, candidateReplicas,
                    candidatePoolSize, percent);
        }

        public long stableConnections() {
            return (long) stableReplicas * stablePoolSize;
        }

        public long candidateConnections() {
            return (long) candidateReplicas * candidatePoolSize;
        }

        private static String colour(String name, String role) {
            if (name == null || !COLOUR.matcher(name).matches()) {
                throw new IllegalArgumentException("the " + role + " colour needs a name of letters, digits, '.', '_'"
                        + " or '-' (got " + (name == null ? "none" : "'" + name + "'") + ")");
            }
            return name;
        }

        private static void replicas(int replicas, String colour) {
            if (replicas < 0) {
                throw new IllegalArgumentException("the replicas of " + colour + " cannot be negative (got "
                        + replicas + ")");
            }
        }

        private static void poolSize(int size, String colour) {
            if (size <= 0) {
                throw new IllegalArgumentException("the connection pool size per pod of " + colour
                        + " must be at least 1 (got " + size + ")");
            }
        }
    }

    /** What PostgreSQL reports (through postgres_exporter and Prometheus). */
    public record Observation(long maxConnections, long reservedConnections, long currentBackends) {
        public Observation {
            if (maxConnections <= 0 || reservedConnections < 0 || reservedConnections >= maxConnections
                    || currentBackends < 0) {
                throw new IllegalArgumentException("implausible database numbers: max_connections=" + maxConnections
                        + ", superuser_reserved_connections=" + reservedConnections + ", backends=" + currentBackends);
            }
        }
    }

    /**
     * The verdict with every number that led to it.
     *
     * @param largestFittingPoolSize the largest per-pod pool size that fits when both colours use it; 0 when
     *     none does; empty when neither colour has replicas
     */
    public record Result(Demand demand, Observation observation, long headroomConnections, long usableConnections,
                         long otherConnections, long requiredConnections, boolean fits,
                         OptionalInt largestFittingPoolSize, String message) {
    }

    /** Decides from the numbers alone. */
    public static Result evaluate(Demand demand, Observation observed) {
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(observed, "observed");
        long available = observed.maxConnections() - observed.reservedConnections();
        long headroom = (available * demand.headroomPercent() + 99) / 100; // ceil: never round headroom away
        long usable = available - headroom;
        long stable = demand.stableConnections();
        long candidate = demand.candidateConnections();
        long others = Math.max(0, observed.currentBackends() - stable);
        long required = stable + candidate + others;
        boolean fits = required <= usable;

        long pods = (long) demand.stableReplicas() + demand.candidateReplicas();
        OptionalInt largest = pods == 0 ? OptionalInt.empty()
                : OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.floorDiv(usable - others, pods))));

        StringBuilder m = new StringBuilder()
                .append(demand.stableColour()).append(' ').append(demand.stableReplicas()).append('×')
                .append(demand.stablePoolSize())
                .append(" + ").append(demand.candidateColour()).append(' ').append(demand.candidateReplicas())
                .append('×').append(demand.candidatePoolSize());
        if (others > 0) {
            m.append(" + ").append(others).append(" other connection").append(others == 1 ? "" : "s");
        }
        m.append(" = ").append(required).append(fits ? " ≤ " : " > ")
                .append(observed.maxConnections()).append(" − ").append(observed.reservedConnections())
                .append(" reserved − ").append(headroom).append(" headroom = ").append(usable);
        if (!fits && largest.isPresent()) {
            if (largest.getAsInt() > 0) {
                m.append("; the largest per-pod pool size that fits is ").append(largest.getAsInt());
            } else {
                m.append("; no per-pod pool size fits: ").append(others)
                        .append(" other connections leave room for fewer than one per pod");
            }
        }
        return new Result(demand, observed, headroom, usable, others, required, fits, largest, m.toString());
    }

    /**
     * One instant query that aggregates to a single value; empty when Prometheus returns no series. All
     * queries of one check should be evaluated at the same instant so the numbers belong together.
     */
    @FunctionalInterface
    public interface InstantQuery {
        OptionalDouble value(String promql) throws PrometheusException, InterruptedException;
    }

    /**
     * Reads the metrics from Prometheus, every query evaluated at {@code at} so the numbers belong together,
     * and decides.
     */
    public static Result check(PrometheusClient prometheus, Instant at, Map<String, String> labelMatchers, Demand demand)
            throws DatabaseCapacityException, InterruptedException {
        Objects.requireNonNull(prometheus, "prometheus");
        Objects.requireNonNull(at, "at");
        return check(instantQuery(prometheus, at), labelMatchers, demand);
    }

    /** Each query aggregates without {@code by}, so a result is one sample or none. */
    static InstantQuery instantQuery(PrometheusClient prometheus, Instant at) {
        return promql -> {
            List<Sample> samples = prometheus.instantQuery(promql, at);
            return samples.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(samples.get(0).value());
        };
    }

    /** Reads and decides. */
    public static Result check(InstantQuery query, Map<String, String> labelMatchers, Demand demand)
            throws DatabaseCapacityException, InterruptedException {
        Objects.requireNonNull(demand, "demand");
        return evaluate(demand, observe(query, labelMatchers));
    }

    /**
     * Reads {@code max_connections}, the reserved connections and the current backends of the one PostgreSQL
     * server that postgres_exporter reports under the given label matchers (equality only, e.g.
     * {@code instance=db-exporter:9187}). Missing, ambiguous or implausible data is an error, never a pass.
     */
    public static Observation observe(InstantQuery query, Map<String, String> labelMatchers)
            throws DatabaseCapacityException, InterruptedException {
        String sel = selector(labelMatchers);
        // pg_up carries only the target's labels (instance, job), not the exporter's own "server" label, so
        // it can only explain a gap, not select the server.
        OptionalDouble servers = read(query, "count(" + MAX_CONNECTIONS + sel + ")");
        if (servers.isEmpty() || servers.getAsDouble() == 0) {
            if (databaseDown(query, sel)) {
                throw unreachable(sel);
            }
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.NO_DATA, "Prometheus has no "
                    + MAX_CONNECTIONS + sel + " series: postgres_exporter is not running or not scraped by this"
                    + " Prometheus, or the label matchers select nothing");
        }
        if (servers.getAsDouble() > 1) {
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.AMBIGUOUS, (long) servers.getAsDouble()
                    + " PostgreSQL servers match " + MAX_CONNECTIONS + sel + ": add label matchers (e.g. server or"
                    + " instance) so that exactly one is checked");
        }
        if (databaseDown(query, sel)) {
            throw unreachable(sel);
        }
        long max = required(query, "max(" + MAX_CONNECTIONS + sel + ")", MAX_CONNECTIONS + sel);
        long reserved = required(query, "max(" + RESERVED + sel + ")", RESERVED + sel);
        long backends = required(query, "sum(" + BACKENDS + sel + ")", BACKENDS + sel);
        if (max <= 0 || reserved >= max) {
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.IMPLAUSIBLE,
                    "implausible PostgreSQL settings: max_connections=" + max + ", superuser_reserved_connections="
                            + reserved);
        }
        return new Observation(max, reserved, backends);
    }

    private static boolean databaseDown(InstantQuery query, String sel)
            throws DatabaseCapacityException, InterruptedException {
        OptionalDouble up = read(query, "min(" + UP + sel + ")");
        return up.isPresent() && up.getAsDouble() < 1;
    }

    private static DatabaseCapacityException unreachable(String sel) {
        return new DatabaseCapacityException(DatabaseCapacityException.Reason.DATABASE_UNREACHABLE,
                "postgres_exporter cannot reach PostgreSQL (" + UP + sel + " is 0): the connection limits are unknown");
    }

    private static long required(InstantQuery query, String promql, String series)
            throws DatabaseCapacityException, InterruptedException {
        OptionalDouble v = read(query, promql);
        if (v.isEmpty()) {
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.NO_DATA, "Prometheus has no "
                    + series + " series although " + MAX_CONNECTIONS + " is there: is that collector disabled?");
        }
        double d = v.getAsDouble();
        if (!Double.isFinite(d) || d < 0 || d != Math.rint(d)) {
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.IMPLAUSIBLE,
                    series + " is " + d + ", not a connection count");
        }
        return (long) d;
    }

    private static OptionalDouble read(InstantQuery query, String promql)
            throws DatabaseCapacityException, InterruptedException {
        try {
            OptionalDouble v = query.value(promql);
            return v == null ? OptionalDouble.empty() : v;
        } catch (PrometheusException e) {
            throw new DatabaseCapacityException(DatabaseCapacityException.Reason.PROMETHEUS_ERROR,
                    "cannot read the database connection metrics (" + promql + "): " + e.getMessage(), e);
        }
    }

    /**
     * The PromQL label selector for the user's matchers, or "" for none. Only equality, only allow-listed
     * characters: a matcher can narrow the series, never change the query.
     */
    public static String selector(Map<String, String> labelMatchers) {
        if (labelMatchers == null || labelMatchers.isEmpty()) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>(); // a stable query text whatever the map's order
        for (Map.Entry<String, String> e : labelMatchers.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("'" + name + "' is not a label name for the database metrics"
                        + " (letters, digits and '_', not starting with a digit or '__')");
            }
            if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("the value of label " + name + " may only contain letters, digits"
                        + " and _ . : / @ + - (1 to 200 characters)");
            }
            sorted.put(name, value);
        }
        StringBuilder sb = new StringBuilder("{");
        sorted.forEach((name, value) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(name).append("=\"").append(value).append('"');
        });
        return sb.append('}').toString();
    }
}
