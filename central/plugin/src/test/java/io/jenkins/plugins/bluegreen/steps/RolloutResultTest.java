package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.report.RolloutFixtures;
import io.jenkins.plugins.bluegreen.testkit.ProgramState;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.beans.Introspector;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the steps return to the Pipeline, built from hand-made rollout records: each kind of ending, the report URL,
 * the River round trip of a program that holds the result, and the docs' table of its properties.
 */
class RolloutResultTest {

    private static final String ROOT_URL = "https://jenkins.example.com/";
    private static final RolloutTarget TARGET = new RolloutTarget("shop", "checkout");

    private TestJenkins jenkins;
    private TestRun run;

    @BeforeEach
    void setUp() throws Exception {
        jenkins = TestJenkins.install().rootUrl(ROOT_URL);
        run = new TestJob(jenkins, "shop-deploy").newBuild();
    }

    /** Every property a Pipeline can read, by name. */
    static Map<String, Object> properties(RolloutResult r) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : getters()) {
            try {
                values.put(Introspector.decapitalize(m.getName().substring(3)), m.invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(m.toString(), e);
            }
        }
        return values;
    }

    /** The result's public getters. */
    static List<Method> getters() {
        return Arrays.stream(RolloutResult.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getName().startsWith("get"))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .collect(Collectors.toList());
    }

    /** Everything a Pipeline can read of {@code r}, as one text, to look for what must never be there. */
    static String describe(RolloutResult r) {
        return properties(r) + " " + r;
    }

    private String pageUrl() {
        return ROOT_URL + "job/shop-deploy/" + run.getNumber() + "/blue-green-rollout/";
    }

    @Test
    void aPromotionCarriesBothVersionsAndTheReportAndNothingOfARollback() {
        RolloutResult result = RolloutResult.of(run, TARGET, RolloutFixtures.promoted(), true);
        assertEquals("PROMOTED", result.getPhase());
        assertEquals("PROMOTED", result.toString(), "what env.X = blueGreenDeploy(...) and \"${result}\" give");
        assertEquals(List.of("checkout", "shop", "green", RolloutFixtures.NEW_IMAGE, "blue", RolloutFixtures.OLD_IMAGE),
                List.of(result.getService(), result.getNamespace(), result.getCandidateColor(), result.getCandidateImage(),
                        result.getStableColor(), result.getStableImage()));
        assertEquals(Arrays.asList(null, null, null, null, null, null), Arrays.asList(result.getReason(), result.getGate(),
                result.getValue(), result.getThreshold(), result.getComparison(), result.getTimeToRevertMillis()));
        assertEquals(pageUrl(), result.getReportUrl());
    }

    @Test
    void aRollbackByAGateNamesTheGateItsValueItsThresholdAndTheTimeToRevert() {
        RolloutRecord record = RolloutFixtures.rolledBack();
        String reason = record.getRollback().reason();
        RolloutResult result = RolloutResult.of(run, TARGET, record, Phase.ROLLED_BACK.name(), reason, true);
        assertEquals("ROLLED_BACK", result.toString());
        assertEquals(reason, result.getReason());
        // The last failing evaluation, not the inconclusive or the breached-but-not-sustained ones before it.
        assertEquals(List.of("errorRate", 0.061, 0.01, ">"), List.of(result.getGate(), result.getValue(), result.getThreshold(),
                result.getComparison()));
        assertEquals(12840L, result.getTimeToRevertMillis());
        assertEquals(List.of("green", RolloutFixtures.NEW_IMAGE, "blue", RolloutFixtures.OLD_IMAGE), List.of(result.getCandidateColor(),
                result.getCandidateImage(), result.getStableColor(), result.getStableImage()));

        // rollback finding it rolled back already: the same account, from the record alone.
        RolloutResult again = RolloutResult.of(run, TARGET, record, false);
        assertEquals(properties(result).entrySet().stream().filter(e -> !e.getKey().equals("reportUrl")).collect(Collectors.toList()),
                properties(again).entrySet().stream().filter(e -> !e.getKey().equals("reportUrl")).collect(Collectors.toList()));
    }

    @Test
    void aRollbackNoGateDetectedNamesNoGateEvenAfterAFailedGate() {
        // A smoke test, an abort or a person: the engine records no moment of detection, and the gate that failed
        // earlier in this rollout (rollbackOnFailure: false) is not why.
        RolloutRecord record = RolloutFixtures.rolledBack();
        Rollback gate = record.getRollback();
        record.setRollback(new Rollback("on-call decided", null, gate.startedAt(), gate.completedAt(), 1840L));
        RolloutResult result = RolloutResult.of(run, TARGET, record, true);
        assertEquals(List.of("ROLLED_BACK", "on-call decided", 1840L), List.of(result.getPhase(), result.getReason(),
                result.getTimeToRevertMillis()));
        assertNull(result.getGate());
        assertNull(result.getValue());
    }

    @Test
    void gatesThatFailedWithoutARollbackAreFailedWithTheGateAndNoTimeToRevert() {
        RolloutRecord record = RolloutFixtures.started();
        RolloutFixtures.shift(record, 15, 50);
        RolloutFixtures.gate(record, 25, "dbConnectionRatio", 0.93, 0.9, "FAIL", "breached");
        record.addEvent(RolloutFixtures.at(25), "analysis", "gate failed: dbConnectionRatio FAIL"); // the window's end
        RolloutResult result = RolloutResult.of(run, TARGET, record, RolloutResult.FAILED, "gate failed: dbConnectionRatio FAIL", true);
        assertEquals(List.of("FAILED", "gate failed: dbConnectionRatio FAIL", "dbConnectionRatio", 0.93, 0.9),
                List.of(result.getPhase(), result.getReason(), result.getGate(), result.getValue(), result.getThreshold()));
        assertNull(result.getTimeToRevertMillis());
        assertEquals("SHIFTED", RolloutResult.of(run, TARGET, record, true).getPhase(), "the record's own phase");
        assertNull(RolloutResult.of(run, TARGET, record, true).getGate(), "no gate unless it failed the step");

        // A later window (the Pipeline went on) ends inconclusive: the earlier failure is not why.
        RolloutFixtures.gate(record, 40, "errorRate", null, 0.01, "INCONCLUSIVE", "no data");
        record.addEvent(RolloutFixtures.at(41), "analysis", "inconclusive over 10 s");
        RolloutResult inconclusive = RolloutResult.of(run, TARGET, record, RolloutResult.FAILED, "inconclusive over 10 s", true);
        assertEquals("inconclusive over 10 s", inconclusive.getReason());
        assertNull(inconclusive.getGate());

        record.addEvent(RolloutFixtures.at(50), "gate", "no data", new GatePoint("errorRate", null, 0.01, ">", "FAIL"));
        record.addEvent(RolloutFixtures.at(50), "analysis", "gate failed: errorRate FAIL");
        RolloutResult noData = RolloutResult.of(run, TARGET, record, RolloutResult.FAILED, "gate failed: errorRate", true);
        assertEquals("errorRate", noData.getGate());
        assertNull(noData.getValue(), "a gate that failed without data has no value");
        assertEquals(0.01, noData.getThreshold());
    }

    @Test
    void aServiceWithoutARecordIsNoneAndStillNamesTheService() {
        RolloutResult none = RolloutResult.of(run, TARGET, null, false);
        assertEquals("NONE", none.getPhase());
        assertEquals("NONE", none.toString());
        Map<String, Object> values = properties(none);
        values.remove("phase");
        assertEquals("checkout", values.remove("service"));
        assertEquals("shop", values.remove("namespace"));
        assertTrue(values.values().stream().allMatch(v -> v == null), values.toString());
    }

    @Test
    void theReportUrlIsTheBuildsPageOnlyWhenItShowsTheServiceAndJenkinsKnowsItsUrl() {
        RolloutRecord record = RolloutFixtures.promoted();
        assertNull(RolloutResult.of(run, TARGET, record, false).getReportUrl(), "nothing on the build's page");
        assertEquals(pageUrl(), RolloutResult.of(run, TARGET, record, true).getReportUrl(), "the step records it as it ends");

        RolloutRecord other = RolloutFixtures.promoted();
        other.setService("cart");
        RolloutAction.record(run, other);
        assertNull(RolloutResult.of(run, TARGET, record, false).getReportUrl(), "another service's entry is not this one's");
        RolloutAction.record(run, record);
        assertEquals(pageUrl(), RolloutResult.of(run, TARGET, record, false).getReportUrl(), "an earlier step of the build put it there");

        jenkins.rootUrl(null);
        assertNull(RolloutResult.of(run, TARGET, record, true).getReportUrl(), "no Jenkins URL configured: no link to give");
    }

    @Test
    void textsAreClippedAndFreeOfControlCharactersAsOnTheBuildPage() {
        RolloutRecord record = RolloutFixtures.rolledBack();
        String longReason = "line one\nline two " + "x".repeat(2000);
        RolloutResult result = RolloutResult.of(run, TARGET, record, Phase.ROLLED_BACK.name(), longReason, true);
        assertEquals(RolloutAction.MAX_TEXT, result.getReason().length());
        assertTrue(result.getReason().startsWith("line one line two "), result.getReason());
        assertTrue(result.getReason().endsWith("…"));
    }

    /**
     * Pipeline keeps the result in the program's variables (and the rollout in a binding variable for post), saved
     * with River at every step's start and at shutdown: it comes back whole, with its toString().
     */
    @Test
    void aProgramHoldingTheResultSurvivesRiver() throws Exception {
        RolloutRecord record = RolloutFixtures.rolledBack();
        RolloutResult result = RolloutResult.of(run, TARGET, record, Phase.ROLLED_BACK.name(), record.getRollback().reason(), true);
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("rollout", result);
        Program program = new Program(new Object[] {"recommendation-service", result, binding});

        Object[] restored = ProgramState.roundTrip(program, Program.class).locals;
        RolloutResult back = (RolloutResult) restored[1];
        assertEquals(properties(result), properties(back));
        assertEquals("ROLLED_BACK", back.toString());
        assertTrue(back == ((Map<?, ?>) restored[2]).get("rollout"), "one object, as the program held it");

        RolloutResult none = ProgramState.roundTrip(RolloutResult.of(run, TARGET, null, false), RolloutResult.class);
        assertEquals("NONE", none.toString());
    }

    /** Stands for the saved program: its local variables and its binding. */
    private static final class Program implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object[] locals;

        Program(Object[] locals) {
            this.locals = locals;
        }
    }

    /** Strings and boxed numbers only: nothing that could hold a secret, a client or a Jenkins object. */
    @Test
    void theResultHoldsOnlyFinalStringsAndNumbers() {
        assertTrue(Serializable.class.isAssignableFrom(RolloutResult.class));
        assertTrue(Modifier.isFinal(RolloutResult.class.getModifiers()) && Modifier.isPublic(RolloutResult.class.getModifiers()));
        for (Field f : RolloutResult.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertTrue(Modifier.isFinal(f.getModifiers()), f.toString());
            assertTrue(Set.of(String.class, Double.class, Long.class).contains(f.getType()), f.toString());
        }
        assertEquals(getters().size(), Arrays.stream(RolloutResult.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).count(), "one getter per field");
    }

    /** docs/steps.md lists exactly the properties a Pipeline can read. */
    @Test
    void theStepsDocTablesEveryProperty() throws Exception {
        String doc = Files.readString(repository().resolve("docs/steps.md"));
        int at = doc.indexOf("\n## Results");
        assertTrue(at >= 0, "docs/steps.md has a Results section");
        String section = doc.substring(at + 1);
        int next = section.indexOf("\n## ");
        section = next < 0 ? section : section.substring(0, next);
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(section);
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertEquals(new TreeSet<>(properties(RolloutResult.of(run, TARGET, null, false)).keySet()), documented);
    }

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }
}
