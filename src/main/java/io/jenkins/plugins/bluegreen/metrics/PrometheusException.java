package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.net.HttpApiException;

/**
 * A failed Prometheus request. The message says what went wrong (HTTP status, Prometheus' errorType and
 * error) and never contains a token, an Authorization header or a raw response body.
 */
public class PrometheusException extends HttpApiException {
    private static final long serialVersionUID = 1L;

    public PrometheusException(String message, int status) {
        super(message, status);
    }
}
