package io.jenkins.plugins.bluegreen.alerting;

import io.jenkins.plugins.bluegreen.net.HttpApiException;

/**
 * A failed Alertmanager request. The message says what went wrong (HTTP status, Alertmanager's own error text) and
 * never contains a token, an Authorization header or a raw response body.
 */
public class AlertmanagerException extends HttpApiException {
    private static final long serialVersionUID = 1L;

    public AlertmanagerException(String message, int status) {
        super(message, status);
    }
}
