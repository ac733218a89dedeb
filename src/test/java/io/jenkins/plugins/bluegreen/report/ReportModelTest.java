package io.jenkins.plugins.bluegreen.report;

import static io.jenkins.plugins.bluegreen.report.RolloutFixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's content and chart geometry, from hand-built rollout records. */
class ReportModelTest {

    private static final double EPS = 0.11;

    /** {@code x,y x,y} as pairs. */
    private static List<double[]> points(String points) {
        List<double[]> out = new ArrayList<>();
        for (String p : points.split(" ")) {
            String[] xy = p.split(",");
            out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return out;
    }

    private static Chart gate(ReportModel m, String name) {
        return m.getGateCharts().stream().filter(c -> c.getTitle().equals(name)).findFirst().orElseThrow();
    }

    /** The height of a share of traffic on the weights chart: 0 % at the bottom, 100 % at the top. */
    private static double share(Chart c, double y) {
        return (c.getPlotBottom() - y) / c.getPlotHeight() * 100;
    }

    /** Where {@code seconds} lands on the shared time axis, from where 0 and a later known moment land. */
    private static double fraction(double x0, double x, double xKnown) {
        return (x - x0) / (xKnown - x0);
    }

    @Test
    void theWeightsChartIsAStepLineOfTheCandidatesShare() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        Chart c = m.getWeightsChart();
        assertEquals("weights-chart", c.getId());
        assertEquals(1, c.getLines().size());
        List<double[]> p = points(c.getLines().get(0).getPoints());
        List<Long> shares = p.stream().map(xy -> Math.round(share(c, xy[1]))).collect(Collectors.toList());
        assertEquals(List.of(0L, 0L, 5L, 5L, 25L, 25L, 50L, 50L, 0L, 0L), shares, "0 -> 5 -> 25 -> 50 -> 0 %, held until the end");
        for (int i = 1; i < p.size() - 1; i += 2) {
            assertEquals(p.get(i)[0], p.get(i + 1)[0], 1e-9, "each change is a vertical step");
            assertTrue(p.get(i)[0] >= p.get(i - 1)[0], "time runs left to right");
        }
        assertEquals(c.getPlotLeft(), p.get(0)[0], EPS, "the rollout's start is at the left edge");
        double x0 = p.get(0)[0];
        double xEnd = p.get(p.size() - 1)[0];
        assertEquals(15.4 / 149, fraction(x0, p.get(1)[0], xEnd), 0.001, "5 % from the 'traffic now' event on");
        assertEquals(106.4 / 149, fraction(x0, p.get(5)[0], xEnd), 0.001);
        assertEquals(149.0 / 149, fraction(x0, p.get(7)[0], xEnd), 0.001, "back to 0 % with the rolled-back event");
        assertEquals(Integer.valueOf(50), m.getMaxWeight());
        assertEquals(5, c.getDots().size(), "a dot where each weight took effect, the first included");
        assertNotNull(c.getArea());
        assertEquals("0 %", c.getYTicks().get(0).getLabel());
        assertEquals("100 %", c.getYTicks().get(c.getYTicks().size() - 1).getLabel());
        assertEquals(c.getPlotTop(), c.getYTicks().get(c.getYTicks().size() - 1).getPos(), EPS);
    }

    @Test
    void theTimeAxisCountsSecondsFromTheStartInRoundSteps() {
        Chart c = ReportModel.of(RolloutFixtures.rolledBack()).getWeightsChart();
        List<String> labels = c.getXTicks().stream().map(Tick::getLabel).collect(Collectors.toList());
        assertEquals("0 s", labels.get(0));
        assertEquals(List.of("0 s", "30 s", "1 m", "1 m 30 s", "2 m", "2 m 30 s"), labels, "149 s in half minutes");
        assertEquals(c.getPlotLeft(), c.getXTicks().get(0).getPos(), EPS);
        assertEquals(c.getPlotRight(), c.getXTicks().get(labels.size() - 1).getPos(), EPS);
    }

    @Test
    void theThresholdLineSitsAtItsValueWithHeadroomAbove() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        Chart errors = gate(m, "errorRate");
        Threshold t = errors.getThreshold();
        assertNotNull(t);
        assertEquals("fails when > 0.01", t.getLabel());
        List<String> labels = errors.getYTicks().stream().map(Tick::getLabel).collect(Collectors.toList());
        assertEquals(List.of("0", "0.02", "0.04", "0.06", "0.08"), labels, "0.061 with headroom");
        double y0 = errors.getYTicks().get(0).getPos();
        double y002 = errors.getYTicks().get(1).getPos();
        assertEquals((y0 + y002) / 2, t.getY(), EPS, "0.01 halfway between the 0 and 0.02 ticks");
        assertEquals(errors.getPlotTop(), t.getZoneY(), EPS, "a '>' gate fails above the line: the band is above it");
        assertEquals(t.getY(), t.getZoneY() + t.getZoneHeight(), EPS);

        Chart latency = gate(m, "p95Latency");
        double top = Double.parseDouble(latency.getYTicks().get(latency.getYTicks().size() - 1).getLabel());
        assertTrue(top > 0.5, "the range reaches past a threshold no value came near: " + top);
        assertTrue(latency.getThreshold().getY() > latency.getPlotTop() + 5, "the threshold is inside the plot, below its top");
        for (Marker d : latency.getDots()) {
            assertTrue(d.getY() > latency.getThreshold().getY(), "values below 0.5 are drawn below its line");
        }
    }

    @Test
    void breachMarkersAreExactlyTheFailedEvaluations() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        Chart errors = gate(m, "errorRate");
        assertEquals(1, errors.getBreaches().size());
        Marker breach = errors.getBreaches().get(0);
        assertEquals("bgd-breach", breach.getCssClass());
        assertTrue(breach.getTitle().contains("0.061") && breach.getTitle().contains("FAIL"), breach.getTitle());
        assertTrue(breach.getY() < errors.getThreshold().getY(), "0.061 is drawn above the 0.01 line");
        List<double[]> last = points(errors.getLines().get(errors.getLines().size() - 1).getPoints());
        assertEquals(last.get(last.size() - 1)[0], breach.getX(), EPS, "on the series' last point");
        assertEquals(last.get(last.size() - 1)[1], breach.getY(), EPS);
        assertTrue(gate(m, "p95Latency").getBreaches().isEmpty());
        assertTrue(errors.getDots().stream().noneMatch(d -> d.getCssClass().equals("bgd-breach")));
        assertEquals(1, errors.getDots().stream().filter(d -> d.getCssClass().equals("bgd-warning")).count(),
                "0.034 breached, but not for long enough: marked, not as a breach");

        RolloutRecord noData = RolloutFixtures.started();
        RolloutFixtures.gate(noData, 20, "errorRate", 0.002, 0.01, "PASS", "within the threshold");
        RolloutFixtures.gate(noData, 30, "errorRate", null, 0.01, "FAIL", "no data, and the gate fails on no data");
        Chart failedOnNoData = gate(ReportModel.of(noData), "errorRate");
        assertEquals(1, failedOnNoData.getBreaches().size());
        assertEquals(failedOnNoData.getThreshold().getY(), failedOnNoData.getBreaches().get(0).getY(), EPS,
                "a failure without a value is marked on the threshold");
    }

    @Test
    void aMissingValueBreaksTheLine() {
        Chart errors = gate(ReportModel.of(RolloutFixtures.rolledBack()), "errorRate");
        assertEquals(List.of(9, 2), errors.getLines().stream().map(Polyline::size).collect(Collectors.toList()),
                "nine evaluations, a gap, two more");
        List<Marker> noData = errors.getDots().stream().filter(d -> d.getCssClass().equals("bgd-nodata")).collect(Collectors.toList());
        assertEquals(1, noData.size());
        assertEquals(errors.getPlotBottom(), noData.get(0).getY(), EPS, "marked on the time axis");
        double gapStart = points(errors.getLines().get(0).getPoints()).get(8)[0];
        double gapEnd = points(errors.getLines().get(1).getPoints()).get(0)[0];
        assertTrue(gapStart < noData.get(0).getX() && noData.get(0).getX() < gapEnd);
    }

    @Test
    void eventsOfEarlierRolloutsAreLeftOut() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        assertTrue(m.getEvents().stream().noneMatch(e -> e.getMessage().contains("decommissioned after a bake time")));
        assertEquals(RolloutFixtures.T0.toString(), m.getEvents().get(0).getAt());
        assertEquals("+0 s", m.getEvents().get(0).getOffset());
        assertEquals(RolloutFixtures.T0.toString(), m.getStartedAt());
        assertEquals(at(149).toString(), m.getEndedAt());
        assertEquals("2 m 29 s", m.getDuration());
    }

    @Test
    void theTimelineListsWhatHappenedAndTheFailureNotEveryPassingEvaluation() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        List<String> types = m.getTimeline().stream().map(TimelineRow::getType).distinct().collect(Collectors.toList());
        assertEquals(List.of("phase", "ready", "traffic", "analysis", "gate", "rollback"), types);
        assertEquals(1, m.getTimeline().stream().filter(r -> r.getType().equals("gate")).count(), "only the failed evaluation");
        assertEquals(2, m.getPreflight().size());
        assertTrue(m.getPreflight().get(0).getMessage().startsWith("database connections fit"));
        assertEquals(m.getEvents().size(), RolloutFixtures.rolledBack().getHistory().size() - 1);
    }

    @Test
    void aRolledBackRolloutShowsItsRecovery() {
        ReportModel m = ReportModel.of(RolloutFixtures.rolledBack());
        assertEquals("ROLLED_BACK", m.getOutcome());
        assertEquals("Rolled back", m.getOutcomeLabel());
        assertTrue(m.getOutcomeClass().contains("bgd-bad"));
        Recovery r = m.getRecovery();
        assertNotNull(r);
        assertEquals(12840L, r.getRecoveryMillis());
        assertEquals("12.8 s", r.getRecoveryText());
        assertTrue(r.getReason().startsWith("gate failed: errorRate FAIL"));
        assertEquals("Time to revert", m.getFigures().get(0).getLabel());
        assertEquals("12.8 s", m.getFigures().get(0).getValue());
        for (Chart c : List.of(m.getWeightsChart(), gate(m, "errorRate"), gate(m, "p95Latency"))) {
            assertEquals(List.of("breach detected", "rollback started", "traffic back on blue"),
                    c.getMoments().stream().map(TimeMarker::getLabel).collect(Collectors.toList()), c.getId());
            assertTrue(c.getMoments().get(0).getX() < c.getMoments().get(1).getX());
        }
        assertEquals("green", m.getCandidate().getColor());
        assertEquals(RolloutFixtures.NEW_IMAGE, m.getCandidate().getImage());
        assertEquals(RolloutFixtures.OLD_IMAGE, m.getStable().getImage());
        assertTrue(HtmlReport.html(RolloutFixtures.rolledBack()).contains("id=\"recovery\""));
    }

    @Test
    void aPromotedRolloutHasNoRecovery() {
        ReportModel m = ReportModel.of(RolloutFixtures.promoted());
        assertEquals("Promoted", m.getOutcomeLabel());
        assertTrue(m.getOutcomeClass().contains("bgd-good"));
        assertNull(m.getRecovery());
        assertEquals(Integer.valueOf(100), m.getMaxWeight());
        assertTrue(m.getWeightsChart().getMoments().isEmpty());
        assertTrue(m.getGateCharts().stream().allMatch(c -> c.getBreaches().isEmpty()));
        assertFalse(HtmlReport.html(RolloutFixtures.promoted()).contains("id=\"recovery\""));

        RolloutRecord earlier = RolloutFixtures.promoted();
        earlier.setRollback(new io.jenkins.plugins.bluegreen.engine.Rollback("an earlier rollout's", null, at(-60).toString(),
                at(-59).toString(), 1000L));
        assertNull(ReportModel.of(earlier).getRecovery(), "a rollback from before this rollout started is not this rollout's");
    }

    @Test
    void afterDecommissionTheNewVersionIsStillTheCandidate() {
        RolloutRecord r = RolloutFixtures.promoted();
        r.setStable(r.getCandidate());
        r.setCandidate(null);
        r.setPhase(Phase.STABLE);
        ReportModel m = ReportModel.of(r);
        assertEquals("green", m.getCandidate().getColor());
        assertEquals("blue", m.getStable().getColor());
        assertEquals("Traffic to green (candidate)", m.getWeightsChart().getTitle());
        assertEquals(Integer.valueOf(100), m.getMaxWeight());
    }

    @Test
    void gateIdsAreSafeAndUnique() {
        RolloutRecord r = RolloutFixtures.started();
        RolloutFixtures.gate(r, 20, "p95 latency/s", 0.2, 0.5, "PASS", "within the threshold");
        RolloutFixtures.gate(r, 21, "p95 latency:s", 0.2, 0.5, "PASS", "within the threshold");
        RolloutFixtures.gate(r, 22, "\"><script>", 0.2, 0.5, "PASS", "within the threshold");
        List<String> ids = ReportModel.of(r).getGateCharts().stream().map(Chart::getId).collect(Collectors.toList());
        assertEquals(List.of("gate-p95-latency-s", "gate-p95-latency-s-2", "gate----script-"), ids);
    }

    @Test
    void aRecordWithoutWeightsOrGatesStillDraws() {
        RolloutRecord r = new RolloutRecord();
        r.setNamespace("shop");
        r.setService("checkout");
        r.getHistory().add(new io.jenkins.plugins.bluegreen.engine.RolloutEvent(at(0).toString(), "note", "adopted"));
        ReportModel m = ReportModel.of(r);
        assertEquals("UNKNOWN", m.getOutcome());
        assertTrue(m.getWeightsChart().getLines().isEmpty());
        assertTrue(m.getGateCharts().isEmpty());
        assertNull(m.getMaxWeight());
        assertEquals(RolloutFixtures.T0.toString(), m.getStartedAt(), "without a recorded start, the first event is the start");
        String html = HtmlReport.html(r);
        assertTrue(html.contains("id=\"weights-chart\"") && html.contains("id=\"preflight\"") && html.contains("id=\"timeline\""));
    }

    @Test
    void hostileTextIsEscapedEverywhere() {
        RolloutRecord r = RolloutFixtures.started();
        r.setService("checkout\"><img src=x onerror=alert(1)>");
        r.addEvent(at(20), "note", "<script>alert('x')</script> & more");
        r.setWeights(Weights.of(Color.GREEN, 5));
        r.addEvent(at(21), "gate", "<b>bold</b>", new GatePoint("<svg onload=alert(1)>", 0.2, 0.5, "\"><script>", "PASS"));
        String html = HtmlReport.html(r);
        assertFalse(html.contains("<script"), "no script element at all");
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("<svg onload"));
        assertFalse(html.contains("<b>bold"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"), "the message is shown, escaped");
        assertTrue(html.contains("checkout&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(html.contains("&lt;svg onload=alert(1)&gt;"));
        String tagsWithoutValues = html.replaceAll("\"[^\"]*\"", "\"\"");
        Matcher handler = Pattern.compile("<[^>]*\\son[a-z]+\\s*=").matcher(tagsWithoutValues);
        assertFalse(handler.find(), "no event handler attribute");
        assertEquals("a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;", HtmlReport.escape("a < b && c > \"d\" 'e'"));
    }

    @Test
    void theFileIsSelfContained(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/report.html");
        HtmlReport.write(RolloutFixtures.rolledBack(), file);
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<style>") && html.contains(".bgd-report"), "the style sheet is inline");
        assertFalse(Pattern.compile("<script|<link|<img|<iframe|\\ssrc=|\\shref=|url\\(|@import", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "nothing is loaded from elsewhere");
        assertEquals(List.of("http://www.w3.org/2000/svg"), Pattern.compile("https?://[^\"' )]+").matcher(html).results()
                .map(x -> x.group()).distinct().collect(Collectors.toList()), "the only URL is the SVG namespace");
        assertEquals(3, html.split("<svg ", -1).length - 1, "the weights chart and one per gate");
    }
}
