package io.jenkins.plugins.bluegreen.net;

/**
 * A failed request to a server's HTTP API (Prometheus, Alertmanager). The message says what went wrong (the HTTP
 * status, the server's own error text, bounded) and never contains a token, an Authorization header or a raw
 * response body, so it may be logged and shown in a form.
 */
public class HttpApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
