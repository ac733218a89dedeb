package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mock API server's service proxy answers as a real API server: 404 without the Service, 503 without a ready pod
 * behind it, and otherwise the answer of the app playing that pod, never the object store's content.
 */
class ServiceProxyTest {

    private static MockCluster mock;
    private static HttpServer app;
    /** "METHOD path?query authorization=... body" per request the app received. */
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private String ns;

    @BeforeAll
    static void start() throws Exception {
        mock = MockCluster.start();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RECEIVED.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            byte[] answer = ("the app answers " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/teapot") ? 418 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        app.start();
    }

    @AfterAll
    static void stop() {
        app.stop(0);
        mock.close();
    }

    @BeforeEach
    void namespace() {
        ns = mock.newNamespace();
        RECEIVED.clear();
    }

    private URI appUrl() {
        return URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.client.getMasterUrl().toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer lab-token-not-for-apps")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String proxy(String service) {
        return "/api/v1/namespaces/" + ns + "/services/" + service + "/proxy";
    }

    @Test
    void withoutTheServiceItIsNotFound() throws Exception {
        HttpResponse<String> r = send("GET", proxy("checkout-green") + "/healthz", null);
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("\"kind\":\"Status\"") && r.body().contains("services \\\"checkout-green\\\" not found"), r.body());
    }

    @Test
    void withNothingBehindTheServiceItFailsInsteadOfAnsweringFromTheStore() throws Exception {
        mock.serveBehindService(ns, "checkout-green", appUrl());
        mock.client.pods().inNamespace(ns).withName("checkout-green-0").delete();
        mock.client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("stored")
                .endMetadata().addToData("k", "a value only the store holds").build()).create();

        HttpResponse<String> r = send("GET", proxy("checkout-green") + "/", null);
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("no endpoints available for service \\\"checkout-green\\\""), r.body());
        assertFalse(r.body().contains("a value only the store holds"), r.body());

        // a pod that runs but is not ready is no endpoint either
        mock.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("checkout-green-1")
                .addToLabels("app", "checkout-green").endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
                .endStatus().build()).create();
        assertEquals(503, send("GET", proxy("checkout-green") + "/healthz", null).statusCode());
        assertEquals(List.of(), RECEIVED, "the app was never reached");
    }

    @Test
    void aReadyPodsAppGetsTheRequestWithoutTheClientsToken() throws Exception {
        mock.serveBehindService(ns, "checkout-green", appUrl());

        HttpResponse<String> r = send("GET", proxy("checkout-green") + "/status?deep=1", null);
        assertEquals(200, r.statusCode());
        assertEquals("the app answers /status", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(null));

        assertEquals(418, send("POST", proxy("checkout-green:80") + "/teapot", "{\"a\":1}").statusCode(), "the app's own status");
        assertEquals(200, send("GET", proxy("http:checkout-green:http"), null).statusCode(), "no path: the app's root");
        assertEquals(List.of("GET /status?deep=1 authorization=null ", "POST /teapot authorization=null {\"a\":1}",
                "GET / authorization=null "), RECEIVED);

        RECEIVED.clear();
        mock.serveBehindService(ns, "checkout-blue", appUrl().resolve("/blue/"));
        assertEquals("the app answers /blue/healthz", send("GET", proxy("checkout-blue") + "/healthz", null).body(),
                "a path in the server's URL is a prefix");
    }

    @Test
    void everythingElseIsStillTheStoreAndExpectationsComeFirst() throws Exception {
        mock.serveBehindService(ns, "checkout-green", appUrl());
        assertNotNull(mock.client.services().inNamespace(ns).withName("checkout-green").get());
        mock.server.expect().get().withPath(proxy("checkout-green") + "/healthz").andReturn(500, "queued by a test").once();
        assertEquals("queued by a test", send("GET", proxy("checkout-green") + "/healthz", null).body());
        assertEquals("the app answers /healthz", send("GET", proxy("checkout-green") + "/healthz", null).body());
    }
}
