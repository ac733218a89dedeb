package io.jenkins.plugins.bluegreen.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The geometry of one chart, worked out once so that the standalone HTML file and the Jelly page on the build draw
 * exactly the same picture: the frame, ticks with labels, lines as SVG {@code points}, dots, breaches, the threshold
 * and the moments of a rollback. Coordinates are in the chart's own units ({@link #getViewBox()}); the time axis is
 * seconds since the rollout started, and every chart of a report shares it.
 */
public final class Chart {

    /** Width of every chart, so that the same moment is at the same x in each of them. */
    static final int WIDTH = 960;
    static final int HEIGHT = 230;
    static final int LEFT = 64;
    static final int RIGHT = WIDTH - 24;
    static final int TOP = 18;
    static final int BOTTOM = HEIGHT - 40;

    private final String id;
    private final String title;
    private final String subtitle;
    private final String yAxisLabel;
    private final List<Tick> xTicks = new ArrayList<>();
    private final List<Tick> yTicks = new ArrayList<>();
    private final List<Polyline> lines = new ArrayList<>();
    private final List<Marker> dots = new ArrayList<>();
    private final List<Marker> breaches = new ArrayList<>();
    private final List<TimeMarker> moments = new ArrayList<>();
    private String area;
    private String areaFill;
    private Threshold threshold;

    Chart(String id, String title, String subtitle, String yAxisLabel) {
        this.id = id;
        this.title = title;
        this.subtitle = subtitle;
        this.yAxisLabel = yAxisLabel;
    }

    /** A stable element id: {@code weights-chart}, or {@code gate-} and the gate's name made safe for an id. */
    public String getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    /** One line under the title saying what is drawn, e.g. the threshold and how many evaluations breached it. */
    public String getSubtitle() {
        return subtitle;
    }

    public int getWidth() {
        return WIDTH;
    }

    public int getHeight() {
        return HEIGHT;
    }

    public String getViewBox() {
        return "0 0 " + WIDTH + " " + HEIGHT;
    }

    public int getPlotLeft() {
        return LEFT;
    }

    public int getPlotRight() {
        return RIGHT;
    }

    public int getPlotTop() {
        return TOP;
    }

    public int getPlotBottom() {
        return BOTTOM;
    }

    public int getPlotWidth() {
        return RIGHT - LEFT;
    }

    public int getPlotHeight() {
        return BOTTOM - TOP;
    }

    /** Baseline of the time axis's tick labels. */
    public int getXLabelY() {
        return BOTTOM + 16;
    }

    /** Where the time axis's tick marks end, under the axis. */
    public int getTickEnd() {
        return BOTTOM + 4;
    }

    /** Right end of the value axis's tick labels. */
    public int getYLabelX() {
        return LEFT - 8;
    }

    public String getXAxisLabel() {
        return "time since the rollout started";
    }

    public int getXAxisLabelX() {
        return (LEFT + RIGHT) / 2;
    }

    public int getXAxisLabelY() {
        return HEIGHT - 6;
    }

    public String getYAxisLabel() {
        return yAxisLabel;
    }

    /** Turns the value axis's label upright along the axis. */
    public String getYAxisLabelTransform() {
        return "translate(14 " + (TOP + BOTTOM) / 2 + ") rotate(-90)";
    }

    /** Along the time axis, at the bottom. */
    public List<Tick> getXTicks() {
        return Collections.unmodifiableList(xTicks);
    }

    /** Along the value axis, at the left; {@link Tick#getPos()} is y. */
    public List<Tick> getYTicks() {
        return Collections.unmodifiableList(yTicks);
    }

    /** The series: one line per run of measured values (a missing value breaks the line). */
    public List<Polyline> getLines() {
        return Collections.unmodifiableList(lines);
    }

    /** A shaded area under the line ({@code points} of a polygon), or null. */
    public String getArea() {
        return area;
    }

    public String getAreaFill() {
        return areaFill;
    }

    /** The gate's threshold, or null for a chart without one. */
    public Threshold getThreshold() {
        return threshold;
    }

    /**
     * Every evaluation that did not fail, by kind: passed, warned or breached within its sustain window, had no value.
     * On the weights chart: each change of weight.
     */
    public List<Marker> getDots() {
        return Collections.unmodifiableList(dots);
    }

    /** Every evaluation whose verdict was FAIL. */
    public List<Marker> getBreaches() {
        return Collections.unmodifiableList(breaches);
    }

    /** When the breach was detected, the rollback started and traffic was back on the stable colour. */
    public List<TimeMarker> getMoments() {
        return Collections.unmodifiableList(moments);
    }

    void xTick(Tick t) {
        xTicks.add(t);
    }

    void yTick(Tick t) {
        yTicks.add(t);
    }

    void line(Polyline l) {
        lines.add(l);
    }

    void dot(Marker m) {
        dots.add(m);
    }

    void breach(Marker m) {
        breaches.add(m);
    }

    void moment(TimeMarker m) {
        moments.add(m);
    }

    void area(String points, String fill) {
        this.area = points;
        this.areaFill = fill;
    }

    void threshold(Threshold t) {
        this.threshold = t;
    }
}
