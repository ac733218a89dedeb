package io.jenkins.plugins.bluegreen.report;

/** A dot on a chart: one measurement or one traffic change, with the text a pointer shows over it. */
public final class Marker {

    private final double x;
    private final double y;
    private final double r;
    private final String fill;
    private final String cssClass;
    private final String title;

    Marker(double x, double y, double r, String fill, String cssClass, String title) {
        this.x = x;
        this.y = y;
        this.r = r;
        this.fill = fill;
        this.cssClass = cssClass;
        this.title = title;
    }

    public double getX() {
        return x;
    }

    public double getY() {
        return y;
    }

    public double getR() {
        return r;
    }

    public String getFill() {
        return fill;
    }

    /** What kind of point it is, e.g. {@code bgd-breach}, {@code bgd-pass}, {@code bgd-nodata}. */
    public String getCssClass() {
        return cssClass;
    }

    /** E.g. {@code +1 m 30 s: 0.061 > 0.01, FAIL}. */
    public String getTitle() {
        return title;
    }
}
