package io.jenkins.plugins.bluegreen.report;

/** A moment drawn across a chart as a vertical line, e.g. when the rollback started and when it completed. */
public final class TimeMarker {

    private final double x;
    private final double labelY;
    private final String label;
    private final String stroke;
    private final String cssClass;
    private final boolean labelLeft;

    TimeMarker(double x, double labelY, String label, String stroke, String cssClass, boolean labelLeft) {
        this.x = x;
        this.labelLeft = labelLeft;
        this.labelY = labelY;
        this.label = label;
        this.stroke = stroke;
        this.cssClass = cssClass;
    }

    public double getX() {
        return x;
    }

    /** Labels of nearby moments are stacked, not drawn over each other. */
    public double getLabelY() {
        return labelY;
    }

    /** Just right of the line, or just left of it where the label would run past the plot. */
    public double getLabelX() {
        return Formats.round(labelLeft ? x - 4 : x + 4);
    }

    /** The SVG {@code text-anchor}: {@code start} right of the line, {@code end} left of it. */
    public String getLabelAnchor() {
        return labelLeft ? "end" : "start";
    }

    public String getLabel() {
        return label;
    }

    public String getStroke() {
        return stroke;
    }

    public String getCssClass() {
        return cssClass;
    }
}
