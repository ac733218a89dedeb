package io.jenkins.plugins.bluegreen.report;

/**
 * A gate's threshold across its chart, with the side where the gate fails shaded: above the line for {@code >}
 * and {@code >=}, below it for {@code <} and {@code <=}.
 */
public final class Threshold {

    private final double y;
    private final String label;
    private final double labelX;
    private final double labelY;
    private final double zoneY;
    private final double zoneHeight;

    Threshold(double y, String label, double labelX, double labelY, double zoneY, double zoneHeight) {
        this.y = y;
        this.label = label;
        this.labelX = labelX;
        this.labelY = labelY;
        this.zoneY = zoneY;
        this.zoneHeight = zoneHeight;
    }

    /** The line's and the label's colour. */
    public String getColor() {
        return Palette.FAIL;
    }

    /** The failing side's colour. */
    public String getZoneFill() {
        return Palette.FAIL_ZONE;
    }

    /** The line's height in the chart. */
    public double getY() {
        return y;
    }

    /** E.g. {@code fails when > 0.01}. */
    public String getLabel() {
        return label;
    }

    /** The label starts here, at the left of the plot: the moments of a rollback are drawn at the right. */
    public double getLabelX() {
        return labelX;
    }

    public double getLabelY() {
        return labelY;
    }

    /** The top of the failing side's shaded band. */
    public double getZoneY() {
        return zoneY;
    }

    public double getZoneHeight() {
        return zoneHeight;
    }
}
