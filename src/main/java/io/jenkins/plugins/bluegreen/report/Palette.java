package io.jenkins.plugins.bluegreen.report;

/**
 * The colours of the charts, as SVG presentation attributes: the charts read right with no style sheet at all
 * (the Jenkins page must not carry inline styles), and the style sheet only adds layout.
 */
final class Palette {

    static final String BLUE = "#2563eb";
    static final String GREEN = "#16a34a";
    static final String SERIES = "#4f46e5";
    static final String FAIL = "#dc2626";
    static final String FAIL_ZONE = "#fee2e2";
    static final String WARNING = "#d97706";
    static final String NO_DATA = "#9ca3af";
    static final String RECOVERED = "#0f766e";

    private Palette() {}

    static String of(String color) {
        return "green".equals(color) ? GREEN : BLUE;
    }
}
