package io.jenkins.plugins.bluegreen.report;

/** A line of a chart as SVG draws it: its {@code points} attribute and its colour. */
public final class Polyline {

    private final String points;
    private final String stroke;
    private final String cssClass;

    Polyline(String points, String stroke, String cssClass) {
        this.points = points;
        this.stroke = stroke;
        this.cssClass = cssClass;
    }

    /** {@code x,y x,y ...} in the chart's coordinates. */
    public String getPoints() {
        return points;
    }

    public String getStroke() {
        return stroke;
    }

    public String getCssClass() {
        return cssClass;
    }

    /** How many points the line has. */
    public int size() {
        return points.isEmpty() ? 0 : points.split(" ").length;
    }
}
