package io.jenkins.plugins.bluegreen.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends checks through the API server's service proxy,
 * {@code /api/v1/namespaces/<ns>/services/<service>-<color>/proxy<path>}, with the fabric8 client's own HTTP client:
 * its credentials, CA and proxy settings, nothing handled here. No port is named, so the API server picks the
 * Service's port (unambiguous for a single-port Service); the caller needs RBAC {@code get} on
 * {@code services/proxy}. The client is derived with retries off: a smoke check is one request, and a 503 retried
 * into a 200 would hide the failure.
 *
 * <p>fabric8 builds its HTTP clients with redirect following on, and that cannot be turned off for one client.
 * Whether a redirect that the API server passes on is followed therefore depends on the HTTP client implementation
 * behind fabric8 (its Vert.x client did not follow one; OkHttp, which Jenkins runs it on, does); a followed redirect is
 * judged by its final answer.
 */
final class ServiceProxyTransport implements Transport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String apiServer;

    ServiceProxyTransport(KubernetesClient client) {
        RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0)
                .build();
        // A derived client shares the connections of the caller's client and is closed with it: never close it here.
        this.http = client.getHttpClient().newBuilder().tag(once).build();
        URL master = client.getMasterUrl();
        this.apiServer = master.toString().replaceAll("/+$", "");
    }

    @Override
    public Reply get(Target target, String path, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(apiServer + "/api/v1/namespaces/" + target.namespace() + "/services/" + target.colorService() + "/proxy" + path)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        BodyPrefix body = new BodyPrefix(SmokeTester.BODY_LIMIT);
        CompletableFuture<HttpResponse<AsyncBody>> sent = http.consumeBytes(request, (buffers, async) -> {
            if (body.append(buffers)) {
                async.consume();
            } else {
                async.cancel();
            }
        });
        HttpResponse<AsyncBody> response = await(sent, end, sent);
        AsyncBody async = response.body();
        async.consume();
        boolean whole = false;
        try {
            await(async.done(), end, sent);
            whole = true;
        } catch (IOException e) {
            if (!(e.getCause() instanceof CancellationException)) {
                throw e;
            }
            // we cancelled the rest of a long body ourselves
        } finally {
            // Only a body read in part is cancelled: cancelling one read to its end resets a connection that is back in
            // the pool (Vert.x), and the next check on it fails with "Connection was closed".
            if (!whole) {
                async.cancel();
            }
        }
        return new Reply(response.code(), body, explanation(response, body));
    }

    private <T> T await(CompletableFuture<T> future, long end, CompletableFuture<?> request)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            request.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new IOException("cancelled", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                throw new IOException("cancelled", e.getCause());
            }
            throw Failures.describe(e.getCause(), "the API server");
        }
    }

    /**
     * The API server answers for itself with a {@code Status} (service not found, no ready endpoints, forbidden,
     * pod not reachable); its message says more than the status code and is short.
     */
    private static String explanation(HttpResponse<?> response, BodyPrefix body) {
        if (response.isSuccessful()) {
            return null;
        }
        String text = body.text().strip();
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode status = JSON.readTree(text);
            if (status != null && "Status".equals(status.path("kind").asText()) && status.path("message").isTextual()) {
                return "API server: " + SmokeTester.oneLine(status.path("message").asText(), 200);
            }
        } catch (IOException | RuntimeException e) {
            // not a Status: the application's own answer
        }
        return null;
    }
}
