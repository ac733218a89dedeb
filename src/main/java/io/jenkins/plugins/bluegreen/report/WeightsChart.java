package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.time.Instant;
import java.util.List;

/** Draws the candidate colour's share of traffic over the rollout as a step line from 0 to 100 %. */
final class WeightsChart {

    static final String ID = "weights-chart";

    private WeightsChart() {}

    /**
     * @param candidate {@code blue} or {@code green}
     * @param last the time of the last event: the line holds its final weight until then
     */
    static Chart build(List<TimedEvent> events, String candidate, TimeAxis axis, Instant last, List<TimeAxis.Moment> moments) {
        Color color = Color.BLUE.label().equals(candidate) ? Color.BLUE : Color.GREEN;
        String stroke = Palette.of(color.label());
        Scale y = Scale.fixed(0, 100, 25, Chart.BOTTOM, Chart.TOP);
        Integer max = maxShare(events, color);
        Chart chart = new Chart(ID, "Traffic to " + color.label() + " (candidate)", max == null
                ? "No traffic weights were recorded."
                : "Share of requests routed to " + color.label() + " as read back from the router; the highest was " + max + " %.",
                "% of traffic to " + color.label());
        for (double v : y.ticks()) {
            chart.yTick(new Tick(y.px(v), Formats.round(y.px(v) + 4), Math.round(v) + " %"));
        }
        axis.ticks(chart);

        StringBuilder points = new StringBuilder();
        Integer previous = null;
        double firstX = 0;
        double lastY = 0;
        for (TimedEvent t : events) {
            Weights w = t.event().weights();
            if (w == null || t.at() == null) {
                continue;
            }
            int share = w.of(color);
            double x = axis.x(t.at());
            double yy = y.px(share);
            if (previous == null) {
                firstX = x;
                append(points, x, yy);
            } else if (share != previous) {
                append(points, x, y.px(previous));
                append(points, x, yy);
            } else {
                continue;
            }
            chart.dot(new Marker(x, yy, 3.5, stroke, "bgd-weight",
                    Formats.offset(axis.seconds(t.at())) + ": " + w + " (" + t.event().message() + ")"));
            previous = share;
            lastY = yy;
        }
        if (previous != null) {
            double endX = Math.max(axis.x(last), firstX);
            append(points, endX, lastY);
            chart.line(new Polyline(points.toString(), stroke, "bgd-weights"));
            chart.area(points + " " + Formats.coord(endX) + "," + Chart.BOTTOM + " " + Formats.coord(firstX) + "," + Chart.BOTTOM, stroke);
        }
        axis.moments(chart, moments);
        return chart;
    }

    static Integer maxShare(List<TimedEvent> events, Color color) {
        Integer max = null;
        for (TimedEvent t : events) {
            Weights w = t.event().weights();
            if (w != null && (max == null || w.of(color) > max)) {
                max = w.of(color);
            }
        }
        return max;
    }

    static Integer lastShare(List<TimedEvent> events, Color color) {
        Integer share = null;
        for (TimedEvent t : events) {
            Weights w = t.event().weights();
            share = w == null ? share : Integer.valueOf(w.of(color));
        }
        return share;
    }

    static void append(StringBuilder points, double x, double y) {
        if (points.length() > 0) {
            points.append(' ');
        }
        points.append(Formats.coord(x)).append(',').append(Formats.coord(y));
    }
}
