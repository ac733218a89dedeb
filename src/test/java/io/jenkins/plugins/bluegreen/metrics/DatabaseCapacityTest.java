package io.jenkins.plugins.bluegreen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Demand;
import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Observation;
import io.jenkins.plugins.bluegreen.metrics.DatabaseCapacity.Result;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The arithmetic and the reading of the pre-flight, without any server. */
class DatabaseCapacityTest {

    private static final Observation INCIDENT_DB = new Observation(100, 3, 0);

    @Test
    void theIncidentDoesNotFitAndSaysByHowMuchAndWhatWouldFit() {
        Result r = DatabaseCapacity.evaluate(Demand.of("blue", 8, "green", 8, 15), INCIDENT_DB);
        assertFalse(r.fits());
        assertEquals(240, r.requiredConnections());
        assertEquals(10, r.headroomConnections()); // ceil(10 % of 97)
        assertEquals(87, r.usableConnections());
        assertEquals(OptionalInt.of(5), r.largestFittingPoolSize());
        assertEquals("blue 8×15 + green 8×15 = 240 > 100 − 3 reserved − 10 headroom = 87;"
                + " the largest per-pod pool size that fits is 5", r.message());
    }

    @Test
    void resizedPoolsFit() {
        Result r = DatabaseCapacity.evaluate(Demand.of("blue", 8, "green", 8, 5), INCIDENT_DB);
        assertTrue(r.fits());
        assertEquals(80, r.requiredConnections());
        assertEquals("blue 8×5 + green 8×5 = 80 ≤ 100 − 3 reserved − 10 headroom = 87", r.message());
    }

    @Test
    void exactlyAtTheLimitFitsAndOneMoreDoesNot() {
        // 0 % headroom: usable = 97
        Demand atLimit = new Demand("blue", 1, 48, "green", 1, 49, 0);
        Result r = DatabaseCapacity.evaluate(atLimit, INCIDENT_DB);
        assertEquals(97, r.requiredConnections());
        assertEquals(97, r.usableConnections());
        assertTrue(r.fits(), r.message());

        Result over = DatabaseCapacity.evaluate(new Demand("blue", 1, 49, "green", 1, 49, 0), INCIDENT_DB);
        assertFalse(over.fits());
        assertEquals(98, over.requiredConnections());
        assertEquals(OptionalInt.of(48), over.largestFittingPoolSize()); // floor(97 / 2)
    }

    @Test
    void headroomIsAShareOfTheConnectionsLeftAfterTheReservedOnesRoundedUp() {
        Demand d = Demand.of("blue", 4, "green", 4, 10); // 80
        assertTrue(DatabaseCapacity.evaluate(d.withHeadroomPercent(10), INCIDENT_DB).fits()); // 80 <= 87
        Result twenty = DatabaseCapacity.evaluate(d.withHeadroomPercent(20), INCIDENT_DB);
        assertEquals(20, twenty.headroomConnections()); // ceil(19.4)
        assertEquals(77, twenty.usableConnections());
        assertFalse(twenty.fits());
        assertEquals(OptionalInt.of(9), twenty.largestFittingPoolSize());
        Result none = DatabaseCapacity.evaluate(d.withHeadroomPercent(0), INCIDENT_DB);
        assertEquals(0, none.headroomConnections());
        assertEquals(97, none.usableConnections());
        assertEquals(50, DatabaseCapacity.evaluate(d.withHeadroomPercent(50), new Observation(103, 3, 0))
                .headroomConnections());
    }

    @Test
    void backendsBeyondFullStablePoolsAreOthersAndCount() {
        // stable 1×10 could explain 10 of 21 backends; the other 11 are someone else's
        Result r = DatabaseCapacity.evaluate(Demand.of("blue", 1, "green", 7, 10), new Observation(100, 3, 21));
        assertEquals(11, r.otherConnections());
        assertEquals(91, r.requiredConnections());
        assertFalse(r.fits());
        assertEquals("blue 1×10 + green 7×10 + 11 other connections = 91 > 100 − 3 reserved − 10 headroom = 87;"
                + " the largest per-pod pool size that fits is 9", r.message()); // floor((87 − 11) / 8)

        // the same demand with only the stable colour's own connections open fits
        assertTrue(DatabaseCapacity.evaluate(Demand.of("blue", 1, "green", 7, 10), new Observation(100, 3, 10)).fits());
    }

    @Test
    void stableConnectionsAreNeverCountedTwice() {
        Result r = DatabaseCapacity.evaluate(Demand.of("blue", 4, "green", 4, 10), new Observation(100, 3, 35));
        assertEquals(0, r.otherConnections()); // 35 backends fit within blue's 40
        assertEquals(80, r.requiredConnections());
    }

    @Test
    void whenOthersAloneExhaustTheDatabaseNoPoolSizeFits() {
        Result r = DatabaseCapacity.evaluate(Demand.of("blue", 2, "green", 2, 1), new Observation(100, 3, 90));
        assertFalse(r.fits());
        assertEquals(OptionalInt.of(0), r.largestFittingPoolSize());
        assertTrue(r.message().contains("no per-pod pool size fits"), r.message());
    }

    @Test
    void differentPoolSizesPerColourAndNoReplicas() {
        Result r = DatabaseCapacity.evaluate(new Demand("green", 3, 20, "blue", 6, 5, 10), INCIDENT_DB);
        assertEquals(90, r.requiredConnections());
        assertTrue(r.message().startsWith("green 3×20 + blue 6×5 = 90 > "), r.message());
        Result empty = DatabaseCapacity.evaluate(new Demand("blue", 0, 10, "green", 0, 10, 10), INCIDENT_DB);
        assertTrue(empty.fits());
        assertEquals(OptionalInt.empty(), empty.largestFittingPoolSize());
    }

    @Test
    void badInputsAreRefusedWithAClearMessage() {
        assertMessage("pool size per pod of green must be at least 1 (got 0)",
                () -> new Demand("blue", 1, 5, "green", 1, 0, 10));
        assertMessage("pool size per pod of blue must be at least 1 (got -3)",
                () -> new Demand("blue", 1, -3, "green", 1, 5, 10));
        assertMessage("replicas of blue cannot be negative (got -1)", () -> Demand.of("blue", -1, "green", 1, 5));
        assertMessage("replicas of green cannot be negative (got -2)", () -> Demand.of("blue", 1, "green", -2, 5));
        assertMessage("between 0 and 50 % of the usable connections, not 51 %",
                () -> Demand.of("blue", 1, "green", 1, 5).withHeadroomPercent(51));
        assertMessage("not -1 %", () -> Demand.of("blue", 1, "green", 1, 5).withHeadroomPercent(-1));
        assertMessage("stable colour needs a name", () -> Demand.of("", 1, "green", 1, 5));
        assertMessage("implausible", () -> new Observation(3, 3, 0));
    }

    @Test
    void labelMatchersAreAllowListed() {
        assertEquals("", DatabaseCapacity.selector(Map.of()));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("server", "db-1.prod:5432");
        m.put("instance", "10.0.0.7:9187");
        assertEquals("{instance=\"10.0.0.7:9187\",server=\"db-1.prod:5432\"}", DatabaseCapacity.selector(m));
        assertMessage("value of label server", () -> DatabaseCapacity.selector(Map.of("server", "x\"} or vector(1)")));
        assertMessage("value of label job", () -> DatabaseCapacity.selector(Map.of("job", "")));
        assertMessage("not a label name", () -> DatabaseCapacity.selector(Map.of("__name__", "up")));
        assertMessage("not a label name", () -> DatabaseCapacity.selector(Map.of("in stance", "a")));
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "a");
        assertMessage("not a label name", () -> DatabaseCapacity.selector(nullKey));
    }

    @Test
    void readsTheFiveQueriesWithTheMatchers() throws Exception {
        List<String> asked = new ArrayList<>();
        Map<String, Double> answers = Map.of(
                "count(pg_settings_max_connections{instance=\"db:9187\"})", 1.0,
                "min(pg_up{instance=\"db:9187\"})", 1.0,
                "max(pg_settings_max_connections{instance=\"db:9187\"})", 100.0,
                "max(pg_settings_superuser_reserved_connections{instance=\"db:9187\"})", 3.0,
                "sum(pg_stat_database_numbackends{instance=\"db:9187\"})", 7.0);
        Result r = DatabaseCapacity.check(q -> {
            asked.add(q);
            Double v = answers.get(q);
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
        }, Map.of("instance", "db:9187"), Demand.of("blue", 8, "green", 8, 5));
        assertEquals(5, asked.size(), asked.toString());
        assertEquals(new Observation(100, 3, 7), r.observation());
        assertTrue(r.fits());
    }

    @Test
    void aServerMatcherWorksAlthoughPgUpHasNoServerLabel() throws Exception {
        Result r = DatabaseCapacity.check(q -> q.contains("pg_up") ? OptionalDouble.empty()
                : OptionalDouble.of(q.contains("max_connections") && !q.startsWith("count(") ? 100
                        : q.contains("reserved") ? 3 : 1), Map.of("server", "db:5432"), Demand.of("blue", 1, "green", 1, 5));
        assertEquals(new Observation(100, 3, 1), r.observation());
    }

    @Test
    void missingAmbiguousOrBrokenDataIsAnErrorNeverAPass() {
        Demand d = Demand.of("blue", 1, "green", 1, 1);
        assertReason(DatabaseCapacityException.Reason.NO_DATA, q -> OptionalDouble.empty(), d);
        assertReason(DatabaseCapacityException.Reason.AMBIGUOUS,
                q -> OptionalDouble.of(q.startsWith("count(") ? 2 : 1), d);
        assertReason(DatabaseCapacityException.Reason.DATABASE_UNREACHABLE,
                q -> OptionalDouble.of(q.startsWith("min(pg_up") ? 0 : 1), d);
        // the exporter writes no settings while it cannot reach the database, but pg_up 0 says why
        assertReason(DatabaseCapacityException.Reason.DATABASE_UNREACHABLE,
                q -> q.startsWith("min(pg_up") ? OptionalDouble.of(0) : OptionalDouble.empty(), d);
        assertReason(DatabaseCapacityException.Reason.NO_DATA,
                q -> q.contains("numbackends") ? OptionalDouble.empty()
                        : OptionalDouble.of(q.startsWith("max(pg_settings_max_conn") ? 100 : 1), d);
        assertReason(DatabaseCapacityException.Reason.IMPLAUSIBLE, q -> OptionalDouble.of(q.contains("numbackends") ? Double.NaN : 1), d);
        assertReason(DatabaseCapacityException.Reason.IMPLAUSIBLE, q -> OptionalDouble.of(1), d); // reserved 1 >= max 1
        assertReason(DatabaseCapacityException.Reason.PROMETHEUS_ERROR, q -> {
            throw new PrometheusException("cannot connect to Prometheus at http://127.0.0.1:1", 0);
        }, d);
    }

    private static void assertReason(DatabaseCapacityException.Reason reason, DatabaseCapacity.InstantQuery q, Demand d) {
        DatabaseCapacityException e = assertThrows(DatabaseCapacityException.class,
                () -> DatabaseCapacity.check(q, Map.of(), d));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
