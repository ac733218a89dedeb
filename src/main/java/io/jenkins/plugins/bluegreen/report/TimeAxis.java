package io.jenkins.plugins.bluegreen.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Seconds since the rollout started, mapped onto the x axis every chart of a report shares. */
final class TimeAxis {

    /** About how wide a character of an 11 px label is, to keep labels inside the plot. */
    private static final double LABEL_CHAR_WIDTH = 6;

    private final Instant start;
    private final Scale scale;

    TimeAxis(Instant start, Instant end) {
        this.start = start;
        this.scale = Scale.time(seconds(end), 8, Chart.LEFT, Chart.RIGHT);
    }

    double seconds(Instant at) {
        return at == null || start == null ? 0 : Duration.between(start, at).toMillis() / 1000.0;
    }

    double x(Instant at) {
        return scale.px(seconds(at));
    }

    /** The x where the plot ends: the last event, rounded up to a tick. */
    double end() {
        return scale.px(scale.hi());
    }

    void ticks(Chart chart) {
        for (double s : scale.ticks()) {
            chart.xTick(new Tick(scale.px(s), chart.getXLabelY(), Formats.seconds(Math.round(s))));
        }
    }

    /** Draws each moment across {@code chart}, stacking the labels of moments close together. */
    void moments(Chart chart, List<Moment> moments) {
        for (int i = 0; i < moments.size(); i++) {
            Moment m = moments.get(i);
            double x = x(m.at());
            boolean overruns = x + 4 + LABEL_CHAR_WIDTH * m.label().length() > Chart.RIGHT;
            chart.moment(new TimeMarker(x, Chart.TOP + 11 + 12 * i, m.label(), m.stroke(), m.cssClass(), overruns));
        }
    }

    /** A moment of the rollback, for every chart. */
    record Moment(Instant at, String label, String stroke, String cssClass) {}
}
