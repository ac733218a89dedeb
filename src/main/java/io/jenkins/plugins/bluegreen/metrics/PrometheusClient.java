package io.jenkins.plugins.bluegreen.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * A small client for the Prometheus HTTP API over the JDK's {@link HttpClient}. The caller supplies the
 * builder so that Jenkins can hand in one that honours its proxy settings; TLS is verified as the JDK does.
 */
public class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrometheusEndpoint endpoint;
    private final HttpClient http;

    public PrometheusClient(PrometheusEndpoint endpoint, HttpClient.Builder builder) {
        this.endpoint = endpoint;
        this.http = builder.connectTimeout(endpoint.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public PrometheusEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Checks address, TLS and credentials with {@code /api/v1/status/buildinfo}.
     *
     * @return the Prometheus version
     */
    public String checkConnection() throws PrometheusException, InterruptedException {
        JsonNode data = get("/api/v1/status/buildinfo");
        String version = data.path("version").asText("");
        return version.isEmpty() ? "unknown" : version;
    }

    /** GETs an API path and returns the {@code data} member of a successful answer. */
    protected JsonNode get(String pathAndQuery) throws PrometheusException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + pathAndQuery))
                .timeout(endpoint.requestTimeout())
                .header("Accept", "application/json")
                .GET();
        endpoint.auth().authorizationHeader().ifPresent(h -> request.header("Authorization", h));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new PrometheusException("Prometheus did not answer within "
                    + endpoint.requestTimeout().toSeconds() + " s", 0);
        } catch (ConnectException e) {
            throw new PrometheusException("cannot connect to Prometheus at " + endpoint.url(), 0);
        } catch (SSLException e) {
            throw new PrometheusException("TLS handshake with Prometheus failed (certificate not trusted?)", 0);
        } catch (IOException e) {
            throw new PrometheusException("cannot reach Prometheus (" + e.getClass().getSimpleName() + ")", 0);
        }
        return data(response.statusCode(), response.body());
    }

    private static JsonNode data(int status, byte[] body) throws PrometheusException {
        if (status == 401 || status == 403) {
            throw new PrometheusException("Prometheus refused the credentials (HTTP " + status + ")", status);
        }
        JsonNode json = null;
        try {
            json = JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            // not JSON: say so without repeating it
        }
        if (json == null || !json.isObject()) {
            throw new PrometheusException("the server did not answer like Prometheus (HTTP " + status
                    + ", no Prometheus JSON)", status);
        }
        if (!"success".equals(json.path("status").asText()) || status / 100 != 2) {
            String type = json.path("errorType").asText("");
            String error = json.path("error").asText("");
            throw new PrometheusException("Prometheus answered HTTP " + status
                    + (type.isEmpty() ? "" : ", " + type) + (error.isEmpty() ? "" : ": " + abbreviate(error)), status);
        }
        return json.path("data");
    }

    /** Prometheus' own error text (e.g. a PromQL parse error) is kept, but bounded. */
    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
