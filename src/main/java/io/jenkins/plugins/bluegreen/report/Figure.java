package io.jenkins.plugins.bluegreen.report;

/** One key figure at the top of a report, e.g. "Time to revert: 1.84 s". */
public final class Figure {

    private final String label;
    private final String value;
    private final String cssClass;

    Figure(String label, String value, String cssClass) {
        this.label = label;
        this.value = value;
        this.cssClass = cssClass;
    }

    public String getLabel() {
        return label;
    }

    public String getValue() {
        return value;
    }

    /** {@code bgd-figure}, with {@code bgd-bad} or {@code bgd-good} added where the figure tells how it went. */
    public String getCssClass() {
        return cssClass;
    }
}
