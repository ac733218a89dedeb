package io.jenkins.plugins.bluegreen.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One JDK HttpClient for every Prometheus and Alertmanager client ({@link HttpTransport}), against a JDK HttpServer that
 * answers both APIs' status calls and records, per request, the Authorization header and the client's port (one port
 * is one TCP connection, and a connection belongs to exactly one HttpClient).
 */
class HttpTransportTest {

    private record Seen(String path, String authorization, int clientPort) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            seen.add(new Seen(path, exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRemoteAddress().getPort()));
            if (path.startsWith("/slow/")) {
                sleep(3000);
            }
            if (path.startsWith("/moved/")) {
                exchange.getResponseHeaders().add("Location", url + path.substring("/moved".length()));
                answer(exchange, 302, "");
            } else if (path.endsWith("/api/v1/status/buildinfo")) {
                answer(exchange, 200, "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\"}}");
            } else if (path.endsWith("/api/v2/status")) {
                answer(exchange, 200, "{\"versionInfo\":{\"version\":\"0.25.0\"}}");
            } else {
                answer(exchange, 404, "");
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PrometheusClient prometheus(HttpAuth auth, HttpTransport transport) {
        return new PrometheusClient(PrometheusEndpoint.of(url, auth, Duration.ofSeconds(5)), transport);
    }

    private Set<Integer> ports() {
        return seen.stream().map(Seen::clientPort).collect(Collectors.toSet());
    }

    @Test
    void clientsWithDifferentCredentialsShareOneConnectionAndEachRequestCarriesItsOwn() throws Exception {
        HttpTransport shared = HttpTransport.of(HttpClient.newBuilder());
        PrometheusClient one = prometheus(new HttpAuth.Bearer("token-one"), shared);
        PrometheusClient two = prometheus(new HttpAuth.Basic("grafana", "password-two"), shared);
        AlertmanagerClient three = new AlertmanagerClient(AlertmanagerEndpoint.of(url, new HttpAuth.Bearer("token-three"),
                Duration.ofSeconds(5)), shared);
        PrometheusClient none = prometheus(null, shared);

        assertEquals("2.42.0", one.checkConnection());
        assertEquals("2.42.0", two.checkConnection());
        assertEquals("0.25.0", three.checkConnection());
        assertEquals("2.42.0", none.checkConnection());
        assertEquals("2.42.0", one.checkConnection());

        String basic = "Basic " + Base64.getEncoder().encodeToString("grafana:password-two".getBytes(StandardCharsets.UTF_8));
        assertEquals(Arrays.asList("Bearer token-one", basic, "Bearer token-three", null, "Bearer token-one"),
                seen.stream().map(Seen::authorization).collect(Collectors.toList()), "each request carries its own client's credentials");
        assertEquals(1, ports().size(), "five requests of four clients, one connection: " + seen);
        assertSame(shared.client(), shared.client());

        prometheus(new HttpAuth.Bearer("token-one"), HttpTransport.of(HttpClient.newBuilder())).checkConnection();
        assertEquals(2, ports().size(), "a transport of its own is a connection of its own");
    }

    @Test
    void theClientIsBuiltAgainWhenItsSettingsChangeAndOnlyThen() throws Exception {
        AtomicReference<Object> settings = new AtomicReference<>(new Object());
        AtomicInteger builds = new AtomicInteger();
        HttpTransport transport = new HttpTransport(settings::get, () -> {
            builds.incrementAndGet();
            return HttpClient.newBuilder();
        });
        PrometheusClient kept = prometheus(new HttpAuth.Bearer("token"), transport);

        HttpClient first = transport.client();
        kept.checkConnection();
        kept.checkConnection();
        assertSame(first, transport.client());
        assertEquals(1, builds.get());

        settings.set(new Object()); // e.g. the proxy saved again
        kept.checkConnection();
        HttpClient second = transport.client();
        assertNotSame(first, second);
        settings.set(null); // e.g. the proxy removed
        kept.checkConnection();
        assertNotSame(second, transport.client());
        kept.checkConnection();
        assertEquals(3, builds.get());
        assertEquals(3, ports().size(), "a client kept by a step follows each change, each on a new connection: " + seen);
    }

    @Test
    void redirectsAreNeverFollowedAndEachRequestHasItsEndpointsTimeout() throws Exception {
        HttpTransport shared = HttpTransport.of(HttpClient.newBuilder());
        assertEquals(HttpClient.Redirect.NEVER, shared.client().followRedirects());
        assertEquals(Optional.of(HttpEndpoint.MAX_REQUEST_TIMEOUT), shared.client().connectTimeout(),
                "the request's own timeout bounds connecting too");

        PrometheusClient moved = new PrometheusClient(PrometheusEndpoint.of(url + "/moved", new HttpAuth.Bearer("token"), null), shared);
        assertThrows(PrometheusException.class, moved::checkConnection);
        assertEquals(List.of("/moved/api/v1/status/buildinfo"), seen.stream().map(Seen::path).collect(Collectors.toList()),
                "the token never followed the redirect");

        PrometheusClient slow = new PrometheusClient(PrometheusEndpoint.of(url + "/slow", null, Duration.ofSeconds(1)), shared);
        PrometheusException late = assertThrows(PrometheusException.class, slow::checkConnection);
        assertEquals("Prometheus did not answer within 1 s", late.getMessage());
        assertEquals("2.42.0", prometheus(null, shared).checkConnection(), "the next request on the same client is not held up");
    }

    @Test
    void aClientThatCannotBeBuiltFailsOnlyTheRequestThatAskedForIt() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        HttpTransport transport = new HttpTransport(() -> null, () -> {
            if (builds.incrementAndGet() == 1) {
                throw new UncheckedIOException(new IOException("Too many open files at /var/lib/jenkins"));
            }
            return HttpClient.newBuilder();
        });
        PrometheusClient first = prometheus(new HttpAuth.Bearer("token-one"), transport);
        PrometheusClient second = prometheus(new HttpAuth.Bearer("token-two"), transport);

        PrometheusException failed = assertThrows(PrometheusException.class, first::checkConnection);
        assertEquals("no HTTP client for Prometheus (UncheckedIOException)", failed.getMessage());
        assertEquals(0, failed.status());
        assertEquals("2.42.0", second.checkConnection(), "the next request builds the client");
        assertEquals("2.42.0", first.checkConnection(), "and the first client is not spoilt either");
        assertEquals(2, builds.get());
    }

    @Test
    void closingDropsTheClientForGoodAndItsSelectorThreadEnds() throws Exception {
        HttpTransport transport = HttpTransport.of(HttpClient.newBuilder());
        PrometheusClient kept = prometheus(new HttpAuth.Bearer("token"), transport);
        kept.checkConnection();
        String selector = SelectorThreads.of(transport);
        assertTrue(SelectorThreads.alive(selector), selector + " runs while the transport is open");

        transport.close();

        assertFalse(transport.holdsClient());
        assertThrows(IllegalStateException.class, transport::client);
        PrometheusException refused = assertThrows(PrometheusException.class, kept::checkConnection);
        assertEquals("no HTTP client for Prometheus (IllegalStateException)", refused.getMessage());
        SelectorThreads.awaitEnded(selector);
    }
}
