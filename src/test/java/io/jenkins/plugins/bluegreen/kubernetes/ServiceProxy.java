package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST CODE: the mock API server's dispatcher, which answers the service proxy as a real API server does instead of
 * from the object store (where {@code GET .../services/<name>/proxy/<path>} would find a dump of the store and answer
 * 200 to any smoke test).
 * <ul>
 *   <li>expectations a test queued come first, then the proxy path, then the CRUD store: the order of fabric8's
 *       {@code KubernetesMixedDispatcher}, which this replaces;</li>
 *   <li>{@code /api/v1/namespaces/<ns>/services/[scheme:]<name>[:port]/proxy[/<path>]}: no such Service is a 404;
 *       no ready pod selected by the Service (pods are objects in the store, made ready by the simulated control plane
 *       or a test) is a 503 {@code no endpoints available for service "<name>"}; otherwise the request goes to the
 *       local server that {@link PodBackends} names for that pod, and its answer comes back as it is. The client's
 *       {@code Authorization} header is not passed on, as a real API server drops it after authenticating.</li>
 * </ul>
 * The mock web server calls its dispatcher on its one Vert.x event loop, so while a proxied request waits for its app,
 * the mock answers nothing else: the apps behind it must answer quickly (the lab's slowest adds 2 s), and an app that
 * has not answered within {@link #FORWARD_TIMEOUT} gets a 503 as if unreachable.
 */
public final class ServiceProxy extends Dispatcher implements Resetable, CustomResourceAware {

    private static final Pattern PROXY =
            Pattern.compile("/api/v1/namespaces/([a-z0-9-]+)/services/([^/?]+)/proxy(/[^?]*)?(\\?.*)?");
    /** Longer than the lab's slowest app (2 s), short enough not to hold the mock's one event loop for long. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> REQUEST_HEADERS = List.of("Accept", "Content-Type");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Location");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    private final PodBackends backends;
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

    public ServiceProxy(Map<ServerRequest, Queue<ServerResponse>> expectations, PodBackends backends) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
        this.backends = backends;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Queue<ServerResponse> queued = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queued != null && !queued.isEmpty()) {
            return expected.dispatch(request);
        }
        Matcher m = PROXY.matcher(request.getPath());
        if (m.matches()) {
            String path = m.group(3) == null ? "/" : m.group(3);
            return proxy(request, m.group(1), serviceName(m.group(2)), path + (m.group(4) == null ? "" : m.group(4)));
        }
        return store.dispatch(request);
    }

    /** {@code name}, {@code name:port} or {@code https:name:port}: the Service's name. */
    private static String serviceName(String segment) {
        String[] parts = segment.split(":");
        return parts.length > 1 && (parts[0].equals("http") || parts[0].equals("https")) ? parts[1] : parts[0];
    }

    private MockResponse proxy(RecordedRequest request, String namespace, String name, String pathAndQuery) {
        MockResponse read = store.dispatch(get("/api/v1/namespaces/" + namespace + "/services/" + name));
        if (read.code() == 404) {
            return status(404, "NotFound", "services \"" + name + "\" not found");
        }
        Service service = json.unmarshal(read.getBody().readUtf8(), Service.class);
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        Optional<Pod> pod = selector == null || selector.isEmpty() ? Optional.empty() : readyPod(namespace, selector);
        if (pod.isEmpty()) {
            return status(503, "ServiceUnavailable", "no endpoints available for service \"" + name + "\"");
        }
        Optional<URI> server = backends.serverFor(namespace, pod.get().getMetadata().getLabels());
        if (server.isEmpty()) {
            return status(503, "ServiceUnavailable", "error trying to reach service: no server plays pod "
                    + pod.get().getMetadata().getName() + " in this simulation (register one in PodBackends)");
        }
        return forward(request, URI.create(server.get().toString().replaceAll("/+$", "") + pathAndQuery));
    }

    private Optional<Pod> readyPod(String namespace, Map<String, String> selector) {
        MockResponse list = store.dispatch(get("/api/v1/namespaces/" + namespace + "/pods"));
        if (list.code() != 200) {
            return Optional.empty();
        }
        for (Pod p : json.unmarshal(list.getBody().readUtf8(), PodList.class).getItems()) {
            Map<String, String> labels = p.getMetadata().getLabels();
            if (labels != null && labels.entrySet().containsAll(selector.entrySet())
                    && p.getMetadata().getDeletionTimestamp() == null && ready(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean ready(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    private MockResponse forward(RecordedRequest request, URI target) {
        byte[] body = request.getBody() == null ? null : request.getBody().getBytes();
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(FORWARD_TIMEOUT)
                .method(request.getMethod(), body == null || body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : REQUEST_HEADERS) {
            String value = request.getHeader(h);
            if (value != null) {
                out.header(h, value);
            }
        }
        try {
            HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            MockResponse response = new MockResponse().setResponseCode(answer.statusCode()).setBody(answer.body());
            for (String h : RESPONSE_HEADERS) {
                answer.headers().firstValue(h).ifPresent(v -> response.setHeader(h, v));
            }
            return response;
        } catch (IOException e) {
            return status(503, "ServiceUnavailable", "error trying to reach service: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status(503, "ServiceUnavailable", "error trying to reach service: interrupted");
        }
    }

    private static RecordedRequest get(String path) {
        return new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer());
    }

    private MockResponse status(int code, String reason, String message) {
        Status s = new StatusBuilder().withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
                .withStatus("Failure").withReason(reason).withCode(code).withMessage(message).build();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(json.asJson(s).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        store.expectCustomResource(context);
    }
}
