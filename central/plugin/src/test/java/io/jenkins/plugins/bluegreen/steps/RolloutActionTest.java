package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.report.Chart;
import io.jenkins.plugins.bluegreen.report.Figure;
import io.jenkins.plugins.bluegreen.report.HtmlReport;
import io.jenkins.plugins.bluegreen.report.Marker;
import io.jenkins.plugins.bluegreen.report.Polyline;
import io.jenkins.plugins.bluegreen.report.Recovery;
import io.jenkins.plugins.bluegreen.report.ReportModel;
import io.jenkins.plugins.bluegreen.report.RolloutFixtures;
import io.jenkins.plugins.bluegreen.report.Threshold;
import io.jenkins.plugins.bluegreen.report.Tick;
import io.jenkins.plugins.bluegreen.report.TimeMarker;
import io.jenkins.plugins.bluegreen.report.TimelineRow;
import io.jenkins.plugins.bluegreen.report.Version;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The build's rollout summary, recorded from hand-made rollout records onto a test build. */
class RolloutActionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private TestJob job;
    private TestRun run;

    @BeforeEach
    void setUp() throws Exception {
        job = new TestJob(TestJenkins.install(), "checkout-deploy");
        run = job.newBuild();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A rollout of {@code service} started at T0, with an earlier rollout's event before it. */
    private static RolloutRecord record(String namespace, String service, Phase phase) {
        RolloutRecord r = new RolloutRecord();
        r.setNamespace(namespace);
        r.setService(service);
        r.setPhase(phase);
        r.setOwner("other-job#7");
        r.addEvent(at(-3600), "phase", "green promoted: an earlier rollout");
        r.setStartedAt(T0.toString());
        r.addEvent(at(0), "phase", "deploying image 2.0.0 as green, no traffic yet");
        r.addEvent(at(1), "preflight", "database budget: 40 of 100 connections at peak");
        r.addEvent(at(5), "ready", "green is ready (3/3), no traffic yet");
        r.addEvent(at(10), "traffic", "traffic now blue 95 % / green 5 %");
        r.addEvent(at(20), "gate", "error-rate 0.002 <= 0.01: pass");
        r.addEvent(at(30), "analysis", "all gates passed over 5 m");
        r.addEvent(at(40), "traffic", "traffic now blue 0 % / green 100 %");
        r.addEvent(at(41), "lock", "lock taken");
        return r;
    }

    private static List<String> messages(List<RolloutAction.Event> events) {
        return events.stream().map(RolloutAction.Event::getMessage).collect(Collectors.toList());
    }

    @Test
    void oneActionPerBuildReusedForEveryService() {
        RolloutAction first = RolloutAction.record(run, record("shop", "checkout", Phase.SHIFTED));
        RolloutAction second = RolloutAction.record(run, record("shop", "payments", Phase.PROMOTED));
        assertSame(first, second);
        assertEquals(1, run.getActions(RolloutAction.class).size());
        assertSame(run, first.getRun(), "onAttached keeps the build");
        assertEquals(List.of("checkout", "payments"),
                first.getEntries().stream().map(RolloutAction.Entry::getService).collect(Collectors.toList()));
        assertEquals("blue-green-rollout", first.getUrlName());
        assertEquals("clipboard.png", first.getIconFileName());
        assertEquals("Blue-Green Rollout", first.getDisplayName());
    }

    @Test
    void anEntryPerServiceIsReplacedNotDuplicated() throws Exception {
        RolloutAction.record(run, record("shop", "checkout", Phase.SHIFTED));
        RolloutAction.record(run, record("staging", "checkout", Phase.SHIFTED));
        RolloutAction action = RolloutAction.record(run, record("shop", "checkout", Phase.PROMOTED));
        assertEquals(2, action.getEntries().size());
        RolloutAction.Entry shop = action.getEntries().get(0);
        assertEquals("shop", shop.getNamespace());
        assertEquals("PROMOTED", shop.getOutcome());
        assertEquals("SHIFTED", action.getEntries().get(1).getOutcome());

        TestRun other = job.newBuild();
        assertNotSame(action, RolloutAction.record(other, record("shop", "checkout", Phase.STABLE)), "each build has its own");
        assertEquals("PROMOTED", action.getEntries().get(0).getOutcome());
    }

    @Test
    void onlyTheCurrentRolloutsEventsAreKept() {
        RolloutRecord r = record("shop", "checkout", Phase.PROMOTED);
        r.getHistory().add(new RolloutEvent("not a time", "note", "undated"));
        RolloutAction.Entry e = RolloutAction.record(run, r).getEntries().get(0);
        assertEquals(T0.toString(), e.getStartedAt());
        assertEquals(8, e.getEvents().size());
        assertEquals(T0.toString(), e.getEvents().get(0).getAt());
        assertFalse(messages(e.getEvents()).contains("green promoted: an earlier rollout"));
        assertFalse(messages(e.getEvents()).contains("undated"));

        RolloutRecord unstarted = record("shop", "adopted", Phase.STABLE);
        unstarted.setStartedAt(null);
        RolloutAction.Entry all = RolloutAction.record(run, unstarted).getEntries().get(1);
        assertNull(all.getStartedAt());
        assertEquals(9, all.getEvents().size(), "without a start the whole history is the rollout");
    }

    @Test
    void outcomeRollbackReasonAndRecoveryAreCopied() {
        RolloutRecord r = record("shop", "checkout", Phase.ROLLED_BACK);
        r.setRollback(new Rollback("gate error-rate breached: 0.061 > 0.01 for 60 s", at(50).toString(), at(51).toString(),
                at(53).toString(), 3000L));
        r.addEvent(at(53), "rollback", "rolled back: blue has all traffic again");
        RolloutAction.Entry e = RolloutAction.record(run, r).getEntries().get(0);
        assertEquals("ROLLED_BACK", e.getOutcome());
        assertEquals("gate error-rate breached: 0.061 > 0.01 for 60 s", e.getRollbackReason());
        assertEquals(3000L, e.getRecoveryMillis());

        RolloutRecord clean = record("shop", "payments", Phase.PROMOTED);
        RolloutAction.Entry p = RolloutAction.record(run, clean).getEntries().get(1);
        assertNull(p.getRollbackReason());
        assertNull(p.getRecoveryMillis());

        RolloutRecord stale = record("shop", "search", Phase.SHIFTED);
        stale.setRollback(new Rollback("an earlier rollout's", null, at(-60).toString(), at(-59).toString(), 1000L));
        RolloutAction.Entry s = RolloutAction.record(run, stale).getEntries().get(2);
        assertNull(s.getRollbackReason(), "a rollback from before this rollout started is not this rollout's");
        assertNull(s.getRecoveryMillis());

        RolloutRecord unknown = record("shop", "new", null);
        assertEquals("UNKNOWN", RolloutAction.record(run, unknown).getEntries().get(3).getOutcome());
    }

    @Test
    void weightsGatesPreflightAndPhasesAreDerived() {
        RolloutAction.Entry e = RolloutAction.record(run, record("shop", "checkout", Phase.PROMOTED)).getEntries().get(0);
        assertEquals(List.of("traffic now blue 95 % / green 5 %", "traffic now blue 0 % / green 100 %"), messages(e.getWeights()));
        assertEquals(at(10).toString(), e.getWeights().get(0).getAt());
        assertEquals(List.of("error-rate 0.002 <= 0.01: pass"), messages(e.getGates()));
        assertEquals(List.of("all gates passed over 5 m"), messages(e.getVerdicts()));
        assertEquals(List.of("database budget: 40 of 100 connections at peak"), messages(e.getPreflight()));
        assertEquals(List.of("phase", "ready", "lock"),
                e.getPhases().stream().map(RolloutAction.Event::getType).collect(Collectors.toList()));
    }

    @Test
    void eventsKeepTheirWeightsAndGateData() {
        RolloutRecord r = record("shop", "checkout", Phase.SHIFTED);
        r.setWeights(Weights.of(Color.GREEN, 5));
        r.addEvent(at(50), "gate", "errorRate FAIL", new GatePoint("errorRate", 0.061, 0.01, ">", "FAIL"));
        r.addEvent(at(51), "gate", "errorRate INCONCLUSIVE", new GatePoint("errorRate", null, 0.01, ">", "INCONCLUSIVE"));
        List<RolloutAction.Event> events = RolloutAction.record(run, r).getEntries().get(0).getEvents();
        RolloutAction.Event fail = events.get(events.size() - 2);
        assertEquals(95, fail.getBlue());
        assertEquals(5, fail.getGreen());
        assertEquals("errorRate", fail.getGate());
        assertEquals(0.061, fail.getValue());
        assertEquals(0.01, fail.getThreshold());
        assertEquals(">", fail.getComparison());
        assertEquals("FAIL", fail.getVerdict());
        assertNull(events.get(events.size() - 1).getValue(), "no data stays no data");
        assertNull(events.get(0).getGate(), "not a gate evaluation");
        assertNull(events.get(0).getBlue(), "no weights were live when the record had none");
    }

    /** The build page and the standalone file draw the same report: same content, same chart geometry. */
    @Test
    void theBuildPagesReportIsTheStandaloneReport() throws Exception {
        for (RolloutRecord r : List.of(RolloutFixtures.rolledBack(), RolloutFixtures.promoted())) {
            RolloutAction.Entry e = RolloutAction.record(job.newBuild(), r).getEntries().get(0);
            ReportModel fromBuild = e.getReport();
            assertEquals(HtmlReport.html(r), HtmlReport.html(fromBuild));
            assertEquals(2, fromBuild.getGateCharts().size());
        }
        ReportModel rolledBack = RolloutAction.record(job.newBuild(), RolloutFixtures.rolledBack()).getEntries().get(0).getReport();
        assertEquals(12840L, rolledBack.getRecovery().getRecoveryMillis());
        assertEquals(1, rolledBack.getGateCharts().get(0).getBreaches().size());
        assertEquals(3, rolledBack.getWeightsChart().getMoments().size());
    }

    /** Entries saved before events carried data still show their report, with text and no lines. */
    @Test
    void aReportFromEventsWithoutDataStillDraws() {
        ReportModel m = RolloutAction.record(run, record("shop", "checkout", Phase.PROMOTED)).getEntries().get(0).getReport();
        assertEquals("shop/checkout", m.getTitle());
        assertTrue(m.getWeightsChart().getLines().isEmpty());
        assertTrue(m.getGateCharts().isEmpty());
        assertEquals(List.of("database budget: 40 of 100 connections at peak"),
                m.getPreflight().stream().map(TimelineRow::getMessage).collect(Collectors.toList()));
        assertEquals(8, m.getEvents().size());
    }

    /** The type of each variable the views bind, as their forEach and set tags declare it. */
    private static final Map<String, Class<?>> VIEW_VARIABLES = Map.ofEntries(Map.entry("it", RolloutAction.class),
            Map.entry("e", RolloutAction.Entry.class), Map.entry("r", ReportModel.class), Map.entry("f", Figure.class),
            Map.entry("rec", Recovery.class), Map.entry("c", Chart.class), Map.entry("rows", List.class),
            Map.entry("row", TimelineRow.class), Map.entry("t", Tick.class), Map.entry("th", Threshold.class),
            Map.entry("mo", TimeMarker.class), Map.entry("l", Polyline.class), Map.entry("d", Marker.class),
            Map.entry("v", Version.class));

    private static String view(String name) throws IOException {
        try (InputStream in = RolloutAction.class.getResourceAsStream("RolloutAction/" + name)) {
            assertTrue(in != null, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * What {@code a.b.c()} reads, as Jelly's expressions resolve it: {@code b} by {@code getB()} or {@code isB()}.
     * Resolution stops at types that are not the plugin's (a Run, a List, a String).
     */
    private static Type resolve(String root, String path) {
        Type type = VIEW_VARIABLES.get(root);
        assertTrue(type != null, "the views use a variable no tag declares: " + root);
        for (String segment : path.substring(1).split("\\.")) {
            if (!(type instanceof Class<?> c) || !c.getName().startsWith("io.jenkins.plugins.bluegreen.")) {
                return type;
            }
            String name = segment.endsWith("()") ? segment.substring(0, segment.length() - 2) : null;
            String property = Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
            Method found = null;
            for (Method m : c.getMethods()) {
                boolean matches = name != null ? m.getName().equals(name)
                        : m.getName().equals("get" + property) || m.getName().equals("is" + property);
                if (matches && m.getParameterCount() == 0) {
                    found = m;
                }
            }
            assertTrue(found != null, c.getSimpleName() + " has no " + segment + " (in " + root + path + ")");
            type = found.getGenericReturnType();
        }
        return type;
    }

    /** No Jenkins runs here to render the views: at least every expression in them must read something that exists. */
    @Test
    void theViewsReadOnlyWhatTheModelHas() throws IOException {
        Pattern expression = Pattern.compile("\\$\\{([^}]*)}");
        Pattern chain = Pattern.compile("(?<![\\w.'])([a-z][A-Za-z]*)((?:\\.[A-Za-z]+(?:\\(\\))?)+)");
        Pattern binding = Pattern.compile("<j:(forEach|set) var=\"(\\w+)\" (?:items|value)=\"\\$\\{(\\w+)((?:\\.\\w+)*)}\"");
        int checked = 0;
        for (String page : List.of("index.jelly", "chart.jelly", "events.jelly")) {
            String jelly = view(page);
            Matcher e = expression.matcher(jelly);
            while (e.find()) {
                Matcher m = chain.matcher(e.group(1));
                while (m.find()) {
                    resolve(m.group(1), m.group(2));
                    checked++;
                }
            }
            Matcher b = binding.matcher(jelly);
            while (b.find()) {
                if (b.group(4).isEmpty()) {
                    continue;
                }
                Type t = resolve(b.group(3), b.group(4));
                Type bound = b.group(1).equals("forEach") ? ((ParameterizedType) t).getActualTypeArguments()[0]
                        : t instanceof ParameterizedType p ? p.getRawType() : t;
                assertEquals(VIEW_VARIABLES.get(b.group(2)), bound, page + ": " + b.group());
            }
        }
        assertTrue(checked > 80, "the check read the views' expressions: " + checked);
        assertTrue(view("index.jelly").contains("<st:adjunct includes=\"io.jenkins.plugins.bluegreen.report.report\"/>"));
        assertTrue(ReportModel.class.getResource("report.css") != null, "the adjunct's style sheet is next to the report classes");
    }

    @Test
    void sizesAreCapped() {
        RolloutRecord r = record("shop", "checkout", Phase.SHIFTED);
        List<RolloutEvent> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(new RolloutEvent(at(i).toString(), "gate", "evaluation " + i));
        }
        many.add(new RolloutEvent(at(300).toString(), "note", "x".repeat(800)));
        many.add(new RolloutEvent(at(301).toString(), "note", "line one\nline two\u0000"));
        r.setHistory(many);
        r.setRollback(new Rollback("y".repeat(600), null, at(1).toString(), at(2).toString(), 1000L));
        RolloutAction.Entry e = RolloutAction.record(run, r).getEntries().get(0);
        assertEquals(RolloutAction.MAX_EVENTS, e.getEvents().size());
        assertEquals("evaluation 52", e.getEvents().get(0).getMessage(), "the latest events are kept");
        String longest = e.getEvents().get(198).getMessage();
        assertEquals(RolloutAction.MAX_TEXT, longest.length());
        assertTrue(longest.endsWith("…"));
        assertEquals("line one line two ", e.getEvents().get(199).getMessage(), "control characters cannot go into XML 1.0");
        assertEquals(RolloutAction.MAX_TEXT, e.getRollbackReason().length());

        RolloutAction action = null;
        for (int i = 0; i < RolloutAction.MAX_ENTRIES + 5; i++) {
            action = RolloutAction.record(run, record("shop", "svc-" + i, Phase.STABLE));
        }
        assertEquals(RolloutAction.MAX_ENTRIES, action.getEntries().size());
        assertEquals("svc-5", action.getEntries().get(0).getService(), "the earliest recorded entries are dropped");
    }

    @Test
    void entriesAndEventsAreReadOnly() {
        RolloutAction action = RolloutAction.record(run, record("shop", "checkout", Phase.SHIFTED));
        assertThrows(UnsupportedOperationException.class, () -> action.getEntries().clear());
        assertThrows(UnsupportedOperationException.class, () -> action.getEntries().get(0).getEvents().clear());
        assertThrows(UnsupportedOperationException.class, () -> action.getEntries().get(0).getWeights().clear());
    }

    /** What XStream writes to build.xml: strings, numbers and lists of the action's own small classes; the build is transient. */
    @Test
    void storedFieldsAreSimpleTypes() {
        Set<Class<?>> simple = Set.of(String.class, long.class, Long.class, int.class, Integer.class, Double.class);
        Set<Class<?>> own = Set.of(RolloutAction.Entry.class, RolloutAction.Event.class);
        for (Class<?> c : List.of(RolloutAction.class, RolloutAction.Entry.class, RolloutAction.Event.class)) {
            assertTrue(Modifier.isFinal(c.getModifiers()), c + " is final");
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || f.isSynthetic()) {
                    continue;
                }
                if (Modifier.isTransient(mod)) {
                    assertEquals(hudson.model.Run.class, f.getType(), "only the build is transient in " + c);
                    continue;
                }
                if (f.getType() == List.class) {
                    Object arg = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                    assertTrue(own.contains(arg), f + " holds " + arg);
                } else {
                    assertTrue(simple.contains(f.getType()), f + " is " + f.getType());
                }
            }
        }
    }

    @Test
    void theRecordsOwnerIsNotCopied() {
        RolloutAction action = RolloutAction.record(run, record("shop", "checkout", Phase.SHIFTED));
        for (RolloutAction.Entry e : action.getEntries()) {
            List<String> texts = new ArrayList<>(List.of(e.getNamespace(), e.getService(), e.getOutcome(), e.getStartedAt()));
            for (RolloutAction.Event ev : e.getEvents()) {
                texts.addAll(List.of(ev.getAt(), ev.getType(), ev.getMessage()));
            }
            assertFalse(texts.stream().anyMatch(t -> t.contains("other-job")), texts.toString());
        }
    }

    @Test
    void concurrentRecordingKeepsOneActionAndEveryService() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RolloutAction>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String service = "svc-" + (i % 20);
                results.add(pool.submit(() -> RolloutAction.record(run, record("shop", service, Phase.SHIFTED))));
            }
            for (Future<RolloutAction> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, run.getActions(RolloutAction.class).size());
        assertEquals(20, run.getAction(RolloutAction.class).getEntries().size());
    }
}
