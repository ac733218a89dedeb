package io.jenkins.plugins.bluegreen.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Fault;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Request;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Times;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy itself: it passes requests through, and applies a rule to the requests and for the time it names. */
class FaultProxyTest {

    private HttpServer server;
    private FaultProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"path\":\"" + exchange.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        proxy = FaultProxy.on("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.stop(0);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(2))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everythingPassesThroughUntilARuleSaysOtherwise() throws Exception {
        assertEquals("{\"path\":\"/apis/x\"}", send("GET", "/apis/x").body());
        FaultProxy.Rule rule = proxy.fail(Request.patch("/apis/.*"), Fault.status(503), Times.times(2));
        assertEquals(200, send("GET", "/apis/x").statusCode(), "another method");
        assertEquals(200, send("PATCH", "/api/x").statusCode(), "another path");
        assertEquals(503, send("PATCH", "/apis/x").statusCode());
        assertEquals(503, send("PATCH", "/apis/y").statusCode());
        assertEquals(200, send("PATCH", "/apis/x").statusCode(), "two requests only");
        assertEquals(2, rule.applied());
    }

    @Test
    void aRuleAppliesOnlyOnceItsConditionHoldsAndForItsDuration() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        FaultProxy.Rule rule = proxy.fail(Request.any(".*").when(armed::get), Fault.tooManyRequests(7), Times.during(Duration.ofMillis(300)));
        assertEquals(200, send("GET", "/x").statusCode());
        armed.set(true);
        HttpResponse<String> limited = send("GET", "/x");
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElse(""));
        Thread.sleep(400);
        assertEquals(200, send("GET", "/x").statusCode(), "the 300 ms are over");
        assertEquals(1, rule.applied());
    }

    @Test
    void theOtherFaults() throws Exception {
        proxy.fail(Request.get("/slow"), Fault.latency(Duration.ofMillis(500)), Times.always());
        proxy.fail(Request.get("/hang"), Fault.hang(), Times.always());
        proxy.fail(Request.get("/reset"), Fault.reset(), Times.always());
        proxy.fail(Request.get("/truncated"), Fault.truncated(), Times.always());
        long t0 = System.nanoTime();
        assertEquals("{\"path\":\"/slow\"}", send("GET", "/slow").body());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 500, "the server's answer, late");
        assertThrows(java.net.http.HttpTimeoutException.class, () -> send("GET", "/hang"));
        assertThrows(IOException.class, () -> send("GET", "/reset"));
        assertTrue(send("GET", "/truncated").body().endsWith("\"chec"), "cut off");
        proxy.clear();
        assertEquals(200, send("GET", "/hang").statusCode(), "cleared");
    }
}
