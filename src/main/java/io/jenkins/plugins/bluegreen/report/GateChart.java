package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.GatePoint;
import java.util.List;

/**
 * Draws one gate's evaluations against its threshold: the measured values as a line (broken where there was no
 * value), the threshold with its failing side shaded, and a marker on every evaluation whose verdict was FAIL.
 */
final class GateChart {

    private GateChart() {}

    /** {@code points}: the gate's evaluations, oldest first, each with a readable time. */
    static Chart build(String id, String gate, List<TimedEvent> points, TimeAxis axis, List<TimeAxis.Moment> moments) {
        GatePoint last = points.get(points.size() - 1).event().gate();
        double threshold = last.threshold();
        String comparison = last.comparison() == null ? "" : last.comparison();
        Scale y = scale(points, threshold);

        int failed = 0;
        int missing = 0;
        for (TimedEvent t : points) {
            failed += "FAIL".equals(t.event().gate().verdict()) ? 1 : 0;
            missing += value(t.event().gate()) == null ? 1 : 0;
        }
        String subtitle = points.size() + (points.size() == 1 ? " evaluation" : " evaluations") + ", " + failed + " failed"
                + (missing > 0 ? ", " + missing + " without a value" : "") + "; the gate fails when the value is " + comparison
                + " " + Formats.number(threshold) + ".";
        Chart chart = new Chart(id, gate, subtitle, gate);
        for (double v : y.ticks()) {
            chart.yTick(new Tick(y.px(v), Formats.round(y.px(v) + 4), Formats.tick(v, y.step())));
        }
        axis.ticks(chart);

        double ty = y.px(threshold);
        boolean failsAbove = comparison.startsWith(">");
        boolean failsBelow = comparison.startsWith("<");
        double zoneY = failsBelow ? ty : Chart.TOP;
        double zoneHeight = failsAbove ? ty - Chart.TOP : failsBelow ? Chart.BOTTOM - ty : 0;
        double labelY = ty - Chart.TOP < 14 ? ty + 14 : ty - 5;
        if (Double.isFinite(threshold)) {
            chart.threshold(new Threshold(ty, "fails when " + comparison + " " + Formats.number(threshold), Chart.LEFT + 6,
                    Formats.round(labelY), zoneY, Formats.round(zoneHeight)));
        }

        StringBuilder run = new StringBuilder();
        for (TimedEvent t : points) {
            GatePoint p = t.event().gate();
            Double v = value(p);
            double x = axis.x(t.at());
            String when = Formats.offset(axis.seconds(t.at())) + ": ";
            boolean fail = "FAIL".equals(p.verdict());
            if (v == null) {
                flush(chart, run);
                String title = when + "no value, " + p.verdict();
                if (fail) {
                    chart.breach(new Marker(x, ty, 5.5, Palette.FAIL, "bgd-breach", title));
                } else {
                    chart.dot(new Marker(x, Chart.BOTTOM, 3, Palette.NO_DATA, "bgd-nodata", title));
                }
                continue;
            }
            double vy = y.px(v);
            WeightsChart.append(run, x, vy);
            String title = when + "value " + Formats.number(v) + ", " + p.verdict();
            if (fail) {
                chart.breach(new Marker(x, vy, 5.5, Palette.FAIL, "bgd-breach", title));
            } else if ("WARNING".equals(p.verdict()) || breaches(comparison, v, p.threshold())) {
                chart.dot(new Marker(x, vy, 3.5, Palette.WARNING, "bgd-warning", title));
            } else if ("PASS".equals(p.verdict())) {
                chart.dot(new Marker(x, vy, 3, Palette.SERIES, "bgd-pass", title));
            } else {
                chart.dot(new Marker(x, vy, 3, Palette.NO_DATA, "bgd-inconclusive", title));
            }
        }
        flush(chart, run);
        axis.moments(chart, moments);
        return chart;
    }

    /** Whether {@code v} is on the failing side: a gate passes a breach until it has lasted its sustain window. */
    static boolean breaches(String comparison, double v, double threshold) {
        switch (comparison) {
            case ">":
                return v > threshold;
            case ">=":
                return v >= threshold;
            case "<":
                return v < threshold;
            case "<=":
                return v <= threshold;
            default:
                return false;
        }
    }

    /** The measured value, or null when there was none (a non-finite value counts as none). */
    static Double value(GatePoint p) {
        Double v = p.value();
        return v == null || !Double.isFinite(v) ? null : v;
    }

    /** From zero (or the lowest value) to above the threshold and every value, with headroom over the highest. */
    private static Scale scale(List<TimedEvent> points, double threshold) {
        double lo = Double.isFinite(threshold) ? threshold : 0;
        double hi = lo;
        for (TimedEvent t : points) {
            Double v = value(t.event().gate());
            if (v != null) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo >= 0) {
            lo = 0;
        }
        double span = hi - lo;
        return Scale.values(lo, hi + (span > 0 ? span : Math.max(Math.abs(hi), 1)) * 0.15, 4, Chart.BOTTOM, Chart.TOP);
    }

    private static void flush(Chart chart, StringBuilder run) {
        if (run.length() > 0) {
            chart.line(new Polyline(run.toString(), Palette.SERIES, "bgd-series"));
            run.setLength(0);
        }
    }
}
