package io.jenkins.plugins.bluegreen.metrics;

/**
 * A failed Prometheus request. The message says what went wrong (HTTP status, Prometheus' errorType and
 * error) and never contains a token, an Authorization header or a raw response body.
 */
public class PrometheusException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public PrometheusException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
