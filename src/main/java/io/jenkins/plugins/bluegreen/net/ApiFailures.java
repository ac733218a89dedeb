package io.jenkins.plugins.bluegreen.net;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says which request to a Kubernetes API server failed and how: the server (host and port), the request (method and path,
 * never the query) and the fault (an HTTP status, no answer in time, a reset connection, a malformed answer). Never
 * the response body, which may echo a request, nor anything of the credentials.
 *
 * <p>fabric8 keeps the request only in its messages: "Failure executing: PUT at: URL." for an HTTP error, "Error
 * executing: GET at: URL. Cause: ..." for an answer it could not read, and "Operation: [get] for kind: [Deployment]
 * with name: [x] ..." otherwise; the client's interceptor remembers the request of a connection failure or timeout
 * ({@link #remember}). Jenkins runs fabric8 on OkHttp; the "... while executing GET /path for server host:port" of its
 * Vert.x client is still read, for a client built on Vert.x elsewhere.
 */
public final class ApiFailures {

    private static final Pattern EXECUTING = Pattern.compile("(?:Failure|Error) executing: ([A-Z]+) at: (\\S+?)\\.(?:\\s|$)");
    private static final Pattern VERTX = Pattern.compile("executing ([A-Z]+) (\\S+) for server (\\S+)");
    private static final Pattern OPERATION = Pattern.compile(
            "Operation: \\[(\\w+)]\\s+for kind: \\[(\\w+)]\\s+with name: \\[([^\\]]*)]\\s+in namespace: \\[([^\\]]*)]");

    /** Requests whose connection failed or timed out, by the failure: fabric8 does not always say which request it was. */
    private static final Map<Throwable, String[]> FAILED = Collections.synchronizedMap(new WeakHashMap<>());

    private ApiFailures() {
    }

    /** Remembers that {@code failure} ended {@code method uri} (called by the client's interceptor). */
    public static void remember(Throwable failure, String method, URI uri) {
        if (failure != null && uri != null) {
            FAILED.put(failure, new String[] {method, uri.getRawPath(), hostAndPort(uri)});
        }
    }

    private static String hostAndPort(URI uri) {
        return uri.getHost() == null ? null : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /**
     * E.g. "the API server 10.0.0.1:6443 answered HTTP 503 to PUT /apis/networking.istio.io/v1/namespaces/shop/...".
     *
     * @param code the HTTP status fabric8 reports (its {@code KubernetesClientException.getCode()}), or -1 for none
     * @param e the client's exception, whose messages and causes say the request and the fault
     */
    public static String describe(int code, Throwable e) {
        if (code == 401) {
            return "the API server refused the credentials (HTTP 401)";
        }
        if (code == 403) {
            return "the credentials are not allowed to do this (HTTP 403)";
        }
        String[] request = request(e);
        String server = request[2] == null ? "the API server" : "the API server " + request[2];
        String to = request[0] == null ? "" : " to " + request[0] + " " + request[1];
        if (code > 0) {
            return server + " answered HTTP " + code + (code == 429 ? " (too many requests)" : "") + to
                    + (code == 429 || code >= 500 ? ", after the client's retries" : "");
        }
        String during = request[0] == null ? "" : " during " + request[0] + " " + request[1];
        switch (fault(e)) {
            case TIMEOUT:
                return server + " did not answer" + (request[0] == null ? "" : " " + request[0] + " " + request[1])
                        + " within the request timeout";
            case RESET:
                return server + " reset the connection" + during + ", after the client's retries";
            case MALFORMED:
                return server + " sent a malformed or truncated answer" + to;
            case REFUSED:
                return "cannot reach " + server + " (connection refused" + during + ")";
            case CLOSED:
                return "the client for " + server + " was already closed" + (request[0] == null ? "" : ": " + request[0] + " "
                        + request[1] + " was not sent");
            default:
                return "cannot reach " + server + " (" + root(e).getClass().getSimpleName() + during + ")";
        }
    }

    /** CLOSED: the request came to a client already closed (OkHttp rejects it, and fabric8 retries it as a lost connection). */
    public enum Fault { TIMEOUT, RESET, MALFORMED, REFUSED, CLOSED, OTHER }

    /** What went wrong below HTTP, from the causes. */
    public static Fault fault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof InterruptedIOException && message.equals("executor rejected")
                    || message.contains("client executor has been shutdown")) {
                return Fault.CLOSED;
            }
            // OkHttp's call timeout is an InterruptedIOException "timeout"; fabric8's own deadline a TimeoutException
            if (type.contains("Timeout") || message.contains("timeout period") || message.contains("timed out")
                    || t instanceof InterruptedIOException && message.equals("timeout")) {
                return Fault.TIMEOUT;
            }
            if (type.contains("Jackson") || type.contains("Json") || type.contains("Mismatched")
                    || message.contains("end-of-input") || message.contains("unexpected character")) {
                return Fault.MALFORMED;
            }
            if (type.endsWith("ConnectException") || message.contains("connection refused")) {
                return Fault.REFUSED;
            }
            if ((t instanceof SocketException || type.contains("Closed")) && (message.contains("reset")
                    || message.contains("closed"))) {
                return Fault.RESET;
            }
        }
        return Fault.OTHER;
    }

    /** Method, path and server (host:port) of the failed request, each null when fabric8 did not say. */
    static String[] request(Throwable e) {
        String[] found = {null, null, null};
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String[] remembered = FAILED.get(t);
            if (remembered != null) {
                return remembered.clone();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher m = EXECUTING.matcher(message);
            if (m.find()) {
                try {
                    URI uri = URI.create(m.group(2));
                    return new String[] {m.group(1), uri.getRawPath(), hostAndPort(uri)};
                } catch (IllegalArgumentException notAUri) {
                    continue;
                }
            }
            m = VERTX.matcher(message);
            if (m.find()) {
                String path = m.group(2);
                int query = path.indexOf('?');
                return new String[] {m.group(1), query < 0 ? path : path.substring(0, query),
                    "null".equals(m.group(3)) ? null : m.group(3)};
            }
            m = OPERATION.matcher(message);
            if (m.find() && found[0] == null) {
                found[0] = m.group(1).toUpperCase(Locale.ROOT);
                found[1] = m.group(2) + " '" + m.group(3) + "'" + (m.group(4).isEmpty() ? "" : " in namespace " + m.group(4));
            }
        }
        return found;
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
