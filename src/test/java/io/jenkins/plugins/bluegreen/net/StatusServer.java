package io.jenkins.plugins.bluegreen.net;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST CODE: a JDK HttpServer that answers the status calls of Prometheus ({@code /api/v1/status/buildinfo}) and
 * Alertmanager ({@code /api/v2/status}) with a version of its choosing, and records each request: its URI as sent
 * (absolute when it came through it as a proxy), its Authorization header and the client's port.
 */
public final class StatusServer implements AutoCloseable {

    public record Seen(String uri, String authorization, int clientPort) {}

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private StatusServer(String version) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            seen.add(new Seen(uri, exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRemoteAddress().getPort()));
            String body = uri.endsWith("/api/v1/status/buildinfo") ? "{\"status\":\"success\",\"data\":{\"version\":\"" + version + "\"}}"
                    : uri.endsWith("/api/v2/status") ? "{\"versionInfo\":{\"version\":\"" + version + "\"}}" : "";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(bytes.length == 0 ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    /** A server that calls itself {@code version}. */
    public static StatusServer start(String version) throws IOException {
        return new StatusServer(version);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
