package io.jenkins.plugins.bluegreen.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Smoke checks against a real HTTP server on 127.0.0.1, directly (base URL) and through the mock API server's service
 * proxy, which forwards to that server as the app behind the colour's Service: each proxy test asserts what the app
 * received. Every failure is asserted by its message, since the message is what the build log shows.
 */
class SmokeTesterTest {

    private static MockCluster cluster;

    private HttpServer server;
    private ExecutorService handlers;
    private String base;
    /** What the server answers per path. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** Answers given once each, before {@link #answers}, per path. */
    private final Map<String, Queue<Answer>> answersOnce = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    private record Answer(int status, String body, long delayMillis, String location) {
        Answer(int status, String body) {
            this(status, body, 0, null);
        }
    }

    @BeforeAll
    static void startCluster() {
        cluster = MockCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            Queue<Answer> once = answersOnce.get(path);
            Answer first = once == null ? null : once.poll();
            Answer a = first != null ? first : answers.getOrDefault(path, new Answer(404, "no such page"));
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (a.location() != null) {
                exchange.getResponseHeaders().add("Location", a.location());
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                out.write(body);
            } catch (IOException e) {
                // the client hung up (timeout test)
            }
        });
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private static SmokeCheck check(String path, int status, String body, long budgetMillis) {
        return new SmokeCheck(path, status, body, Duration.ofMillis(budgetMillis));
    }

    private SmokeTestException failure(SmokeTester tester, SmokeCheck... checks) {
        return assertThrows(SmokeTestException.class, () -> tester.run("shop", "checkout", "green", List.of(checks)));
    }

    @Test
    void passingChecksReportOneLineEachInOrder() throws Exception {
        answers.put("/healthz", new Answer(200, "ok"));
        answers.put("/ready", new Answer(204, ""));
        List<String> lines = SmokeTester.viaBaseUrl(base).run("shop", "checkout", "green",
                List.of(new SmokeCheck("/healthz", 200, "ok", null), check("/ready?deep=1", 204, null, 2000)));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).matches("smoke test GET /healthz on checkout-green: 200 in \\d+ ms"), lines.get(0));
        assertTrue(lines.get(1).matches("smoke test GET /ready\\?deep=1 on checkout-green: 204 in \\d+ ms"), lines.get(1));
        assertEquals(List.of("/healthz", "/ready?deep=1"), requested);
    }

    @Test
    void aWrongStatusFailsAndStopsTheRun() {
        answers.put("/healthz", new Answer(503, "upstream down"));
        answers.put("/ready", new Answer(200, "ok"));
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base), new SmokeCheck("/healthz"), new SmokeCheck("/ready"));
        assertTrue(e.getMessage().matches(
                "smoke test GET /healthz on checkout-green: expected status 200, got 503 \\(\\d+ ms\\): got \"upstream down\""),
                e.getMessage());
        assertEquals(List.of("/healthz"), requested, "the second check must not run");
        assertEquals("/healthz", e.check().path());
    }

    @Test
    void aLongBodyIsNeverQuoted() {
        String secretish = "x".repeat(201);
        answers.put("/healthz", new Answer(500, secretish));
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base), new SmokeCheck("/healthz"));
        assertTrue(e.getMessage().matches(".*: expected status 200, got 500 \\(\\d+ ms\\)"), e.getMessage());
    }

    @Test
    void missingBodyTextFails() throws Exception {
        answers.put("/healthz", new Answer(200, "{\"status\":\"DOWN\"}"));
        answers.put("/ping", new Answer(200, "pong"));
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base),
                new SmokeCheck("/ping", 200, "pong", null), new SmokeCheck("/healthz", 200, "\"UP\"", null));
        assertEquals("smoke test GET /healthz on checkout-green: body does not contain \"\"UP\"\": got \"{\"status\":\"DOWN\"}\"",
                e.getMessage());
        assertEquals(1, e.passed().size(), "the check that passed before is kept for the log");
    }

    @Test
    void anAnswerOverBudgetIsReportedWithItsLatency() {
        answers.put("/slow", new Answer(200, "ok", 350, null));
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base), check("/slow", 200, "ok", 200));
        assertTrue(e.getMessage().matches("smoke test GET /slow on checkout-green: took \\d+ ms, over the budget of 200ms"),
                e.getMessage());
        long ms = Long.parseLong(e.getMessage().replaceAll(".*took (\\d+) ms.*", "$1"));
        assertTrue(ms >= 350 && ms < 700, "measured " + ms);
    }

    @Test
    void anAnswerFarOverBudgetTimesOutInsteadOfHanging() {
        answers.put("/hang", new Answer(200, "ok", 3000, null));
        long start = System.nanoTime();
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base), check("/hang", 200, null, 100));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("smoke test GET /hang on checkout-green: no answer within 600 ms (budget 100ms)", e.getMessage());
        assertTrue(ms < 2000, "waited " + ms + " ms");
    }

    @Test
    void aRefusedConnectionFailsWithItsCause() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        SmokeTestException e = failure(SmokeTester.viaBaseUrl("http://127.0.0.1:" + port), new SmokeCheck("/healthz"));
        assertEquals("smoke test GET /healthz on checkout-green: failed: connection refused by 127.0.0.1:" + port, e.getMessage());
    }

    @Test
    void placeholdersAreFilledForEachRun() throws Exception {
        answers.put("/preview/green/checkout/shop/healthz", new Answer(200, "ok"));
        answers.put("/preview/blue/checkout/shop/healthz", new Answer(200, "ok"));
        SmokeTester tester = SmokeTester.viaBaseUrl(base + "/preview/${color}/${service}/${namespace}/");
        tester.run("shop", "checkout", "green", List.of(new SmokeCheck("/healthz")));
        tester.run("shop", "checkout", "blue", List.of(new SmokeCheck("/healthz")));
        assertEquals(List.of("/preview/green/checkout/shop/healthz", "/preview/blue/checkout/shop/healthz"), requested);
    }

    @Test
    void badBaseUrlsAreRefusedBeforeAnythingIsSent() {
        for (String bad : List.of("ftp://host/x", "http://user:secret@host", "checkout-${color}:8080", "http://h/${colour}",
                "http://h/?q=1", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmokeTester.viaBaseUrl(bad), bad);
            assertTrue(e.getMessage().startsWith("smokeTestBaseUrl"), e.getMessage());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> SmokeTester.viaBaseUrl(base).run("shop", "Checkout", "green", List.of(new SmokeCheck("/"))));
        assertThrows(IllegalArgumentException.class,
                () -> SmokeTester.viaBaseUrl(base).run("shop", "checkout", "green", List.of()));
        assertEquals(List.of(), requested);
    }

    @Test
    void aRedirectIsAnAnswerNotFollowed() throws Exception {
        answers.put("/old", new Answer(302, "", 0, "/healthz"));
        answers.put("/healthz", new Answer(200, "ok"));
        SmokeTestException e = failure(SmokeTester.viaBaseUrl(base), new SmokeCheck("/old"));
        assertTrue(e.getMessage().contains("expected status 200, got 302"), e.getMessage());
        assertEquals(List.of("/old"), requested);
        SmokeTester.viaBaseUrl(base).run("shop", "checkout", "green", List.of(check("/old", 302, null, 2000)));
    }

    /** A fresh namespace whose Service {@code checkout-green} has a ready pod played by this test's server. */
    private String namespaceWithGreenApp() {
        String ns = cluster.newNamespace();
        cluster.serveBehindService(ns, "checkout-green", URI.create(base + "/"));
        return ns;
    }

    @Test
    void viaTheServiceProxyTheRequestReachesTheAppBehindTheColourService() throws Exception {
        String ns = namespaceWithGreenApp();
        answers.put("/healthz", new Answer(200, "ok from the green app"));
        List<String> lines = SmokeTester.viaServiceProxy(cluster.client).run(ns, "checkout", "green",
                List.of(new SmokeCheck("/healthz", 200, "ok from the green app", null), new SmokeCheck("/healthz?deep=1")));
        assertTrue(lines.get(0).matches("smoke test GET /healthz on checkout-green: 200 in \\d+ ms"), lines.get(0));
        assertEquals(List.of("/healthz", "/healthz?deep=1"), requested, "both checks reached the app, query included");
    }

    @Test
    void viaTheServiceProxyTheAppsAnswerIsNotRetriedIntoSuccess() throws Exception {
        String ns = namespaceWithGreenApp();
        answersOnce.put("/ready", new ArrayDeque<>(List.of(new Answer(503, "warming up"))));
        answers.put("/ready", new Answer(200, "ok"));
        // A client that would retry a 503: the smoke tester must not.
        try (var retrying = cluster.server.createClient(b -> b.editOrNewConfig()
                .withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(10).endConfig())) {
            SmokeTestException e = assertThrows(SmokeTestException.class, () -> SmokeTester.viaServiceProxy(retrying)
                    .run(ns, "checkout", "green", List.of(new SmokeCheck("/ready?deep=1"))));
            assertTrue(e.getMessage().matches("smoke test GET /ready\\?deep=1 on checkout-green: expected status 200, got 503 "
                    + "\\(\\d+ ms\\): got \"warming up\""), e.getMessage());
        }
        assertEquals(List.of("/ready?deep=1"), requested, "sent to the app once");
    }

    @Test
    void viaTheServiceProxyAServiceWithNothingBehindItFails() throws Exception {
        String ns = cluster.newNamespace();
        cluster.client.services().inNamespace(ns).resource(new ServiceBuilder()
                .withNewMetadata().withName("checkout-green").endMetadata()
                .withNewSpec().addToSelector("app", "checkout").addToSelector("bluegreen.jenkins.io/color", "green")
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
        SmokeTestException e = assertThrows(SmokeTestException.class, () -> SmokeTester.viaServiceProxy(cluster.client)
                .run(ns, "checkout", "green", List.of(new SmokeCheck("/healthz"))));
        assertTrue(e.getMessage().matches("smoke test GET /healthz on checkout-green: expected status 200, got 503 "
                + "\\(\\d+ ms\\): API server: no endpoints available for service \"checkout-green\""), e.getMessage());

        SmokeTestException absent = assertThrows(SmokeTestException.class, () -> SmokeTester.viaServiceProxy(cluster.client)
                .run(ns, "checkout", "blue", List.of(new SmokeCheck("/healthz"))));
        assertTrue(absent.getMessage().matches("smoke test GET /healthz on checkout-blue: expected status 200, got 404 "
                + "\\(\\d+ ms\\): API server: services \"checkout-blue\" not found"), absent.getMessage());
        assertEquals(List.of(), requested, "no app was reached");
    }

    @Test
    void viaTheServiceProxyMissingBodyTextFails() {
        String ns = namespaceWithGreenApp();
        answers.put("/version", new Answer(200, "v1.4.1"));
        SmokeTestException e = assertThrows(SmokeTestException.class, () -> SmokeTester.viaServiceProxy(cluster.client)
                .run(ns, "checkout", "green", List.of(new SmokeCheck("/version", 200, "v1.4.2", null))));
        assertEquals("smoke test GET /version on checkout-green: body does not contain \"v1.4.2\": got \"v1.4.1\"", e.getMessage());
        assertEquals(List.of("/version"), requested);
    }
}
