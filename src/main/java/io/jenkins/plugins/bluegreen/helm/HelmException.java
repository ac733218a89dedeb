package io.jenkins.plugins.bluegreen.helm;

/**
 * A chart that could not be rendered. The message is for the person running the Pipeline: it names the chart and,
 * for a template error, the template and the line; it never contains a value given with {@code set}.
 */
public class HelmException extends Exception {
    private static final long serialVersionUID = 1L;

    public HelmException(String message) {
        super(message);
    }
}
