package io.jenkins.plugins.bluegreen.smoke;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what an HTTP client throws into one short line for the build log. Client exceptions carry addresses and
 * reasons, never headers; the text is still cut, kept to one line, and replaced by the type when there is none.
 */
final class Failures {

    private Failures() {}

    /** @param where the host and port that was called, for the connection errors that do not name it */
    static IOException describe(Throwable t, String where) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String text;
        if (t instanceof HttpConnectTimeoutException) {
            text = "could not connect to " + where + " in time";
        } else if (t instanceof HttpTimeoutException) {
            text = "no answer in time";
        } else if (t instanceof ConnectException) {
            text = "connection refused by " + where;
        } else if (t instanceof NoRouteToHostException) {
            text = "no route to " + where;
        } else if (t instanceof UnknownHostException) {
            text = "unknown host " + where;
        } else if (t instanceof SSLException) {
            text = "TLS handshake with " + where + " failed: " + message(t);
        } else {
            text = message(t);
        }
        return new IOException(text, t);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return SmokeTester.oneLine(m, 200);
    }
}
