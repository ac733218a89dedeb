package io.jenkins.plugins.bluegreen.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What the clients of Prometheus' and Alertmanager's JSON APIs share, over the JDK's {@link HttpClient}: the caller
 * supplies the {@link HttpTransport} (in Jenkins one for the whole plugin, with its proxy settings), the endpoint's
 * credentials and timeout go with each request, TLS is verified as the JDK does, redirects are never followed (a token
 * goes to the configured server only), and every failure becomes the API's own exception with a message that names
 * the server and the HTTP status but never a credential or a body.
 *
 * @param <E> the exception of this API
 */
public abstract class JsonHttpClient<E extends HttpApiException> {

    /** Plain tree and POJO mapping only: no default typing. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final HttpEndpoint endpoint;
    private final HttpTransport transport;

    /**
     * @param server the product, as messages name it: {@code Prometheus}, {@code Alertmanager}
     */
    protected JsonHttpClient(String server, HttpEndpoint endpoint, HttpTransport transport) {
        this.server = server;
        this.endpoint = endpoint;
        this.transport = transport;
    }

    public final HttpTransport transport() {
        return transport;
    }

    /** The API's exception with this message and HTTP status (0: no answer). */
    protected abstract E failure(String message, int status);

    /** A request for a path (with its query, already encoded) below the endpoint's URL, which keeps its own path prefix. */
    protected final HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(endpoint.url() + pathAndQuery));
    }

    /** Retries of a read that met a busy or unreachable server, after 200 and 400 ms (or what Retry-After asks). */
    public static final int RETRIES = 2;
    private static final long FIRST_PAUSE_MILLIS = 200;

    /** Whether every request of this API only reads, so that any of them may be sent again (Prometheus: yes). */
    protected boolean readOnly() {
        return false;
    }

    /**
     * Sends a request with the endpoint's timeout and authentication. A read answered with 429, 502, 503 or 504, or whose
     * connection was lost, is sent again up to {@value #RETRIES} times, pausing 200 ms and doubling, or what
     * {@code Retry-After} asks if that is within the request timeout; a request that timed out is not (its time is
     * spent). Every message names the server, the request (method and path, never the query) and the fault.
     *
     * @return any answer but a refusal of the credentials (401, 403), which is a failure
     */
    protected final Answer send(HttpRequest.Builder request) throws E, InterruptedException {
        request.timeout(endpoint.requestTimeout()).header("Accept", "application/json");
        endpoint.auth().authorizationHeader().ifPresent(h -> request.header("Authorization", h));
        HttpClient http;
        try {
            http = transport.client(); // asked each time: it follows Jenkins' proxy settings and ends with the plugin
        } catch (RuntimeException e) {
            throw failure("no HTTP client for " + server + " (" + e.getClass().getSimpleName() + ")", 0);
        }
        HttpRequest built = request.build();
        URI uri = built.uri();
        String call = built.method() + " " + uri.getRawPath();
        String what = " (" + call + " on " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + ")";
        boolean retriable = readOnly() || "GET".equals(built.method());
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 0; ; attempt++) {
            boolean again = retriable && attempt < RETRIES;
            HttpResponse<byte[]> response;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                throw failure(server + " did not answer within " + endpoint.requestTimeout().toSeconds() + " s" + what, 0);
            } catch (ConnectException e) {
                throw failure("cannot connect to " + server + " at " + endpoint.url() + " (" + call + ")", 0);
            } catch (SSLException e) {
                throw failure("TLS handshake with " + server + " failed (certificate not trusted?)" + what, 0);
            } catch (IOException e) {
                if (again) {
                    Thread.sleep(pause);
                    pause *= 2;
                    continue;
                }
                String fault = "the connection was " + (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT)
                        .contains("reset") ? "reset" : "closed before an answer") + ", " + e.getClass().getSimpleName();
                throw failure("cannot reach " + server + " (" + fault + ")" + what, 0);
            }
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                throw failure(server + " refused the credentials (HTTP " + status + ")", status);
            }
            if (again && (status == 429 || status == 502 || status == 503 || status == 504)) {
                long asked = RetryAfterHeader.askedMillis(response.headers().firstValue("Retry-After").orElse(null),
                        System.currentTimeMillis());
                Thread.sleep(asked > 0 && asked < endpoint.requestTimeout().toMillis() ? Math.max(asked, pause) : pause);
                pause *= 2;
                continue;
            }
            return new Answer(status, response.body(), what);
        }
    }

    /** The body as JSON, or empty when it is not JSON (which is then never quoted: it could be anything). */
    protected static Optional<JsonNode> json(byte[] body) {
        try {
            return Optional.ofNullable(JSON.readTree(body)).filter(j -> !j.isMissingNode()); // missing: an empty body
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A server's own error text (e.g. a parse error) is kept, but bounded. */
    protected static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /**
     * The server's answer: its status and body, and the request it answers as messages append it, e.g.
     * {@code " (GET /api/v1/query on prometheus:9090)"}.
     */
    protected record Answer(int status, byte[] body, String request) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }
}
