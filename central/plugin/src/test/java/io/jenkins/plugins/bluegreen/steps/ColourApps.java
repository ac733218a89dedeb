package io.jenkins.plugins.bluegreen.steps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TEST CODE: a local server standing in for each colour's app, for smoke tests through {@code smokeTestBaseUrl}:
 * {@code /blue/healthz} and {@code /green/healthz} answer {@code ok} with 200, or the status a test sets.
 */
final class ColourApps implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, Integer> health = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String colour : List.of("blue", "green")) {
            server.createContext("/" + colour + "/healthz", exchange -> {
                hits.computeIfAbsent(colour, c -> new AtomicInteger()).incrementAndGet();
                int status = health.getOrDefault(colour, 200);
                byte[] body = (status == 200 ? "ok" : "unavailable").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Every colour healthy again, and no request counted. */
    void reset() {
        health.clear();
        hits.clear();
    }

    /** How many health checks {@code colour}'s app answered. */
    int hits(String colour) {
        AtomicInteger n = hits.get(colour);
        return n == null ? 0 : n.get();
    }

    /** Where {@code colour}'s app answers, e.g. as the server playing its pods behind the API server's service proxy. */
    URI url(String colour) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + colour);
    }

    /** Makes {@code colour}'s health check answer {@code status}. */
    void answer(String colour, int status) {
        health.put(colour, status);
    }

    /** The smoke-test base URL, with the {@code ${color}} placeholder the step fills in. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/${color}";
    }

    /** A smoke test of {@code /healthz} that wants 200 and {@code ok} within 2 s. */
    static SmokeTest healthCheck() {
        SmokeTest t = new SmokeTest("/healthz");
        t.setBodyContains("ok");
        t.setMaxLatency("2s");
        return t;
    }
}
