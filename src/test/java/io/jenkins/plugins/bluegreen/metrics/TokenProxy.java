package io.jenkins.plugins.bluegreen.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bearer-token gate in front of a real Prometheus or Alertmanager, as a reverse proxy in production would be: the
 * right token is forwarded, a wrong one gets 401 with a body that echoes it (so tests can prove it never reaches a
 * message). It counts the requests it gets, so tests can prove that none was made.
 */
public final class TokenProxy implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    public TokenProxy(URI prometheus, String token) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body;
            int status;
            String type = "text/plain";
            try (InputStream in = exchange.getRequestBody()) {
                byte[] request = in.readAllBytes();
                if (!auth.equals("Bearer " + token)) {
                    status = 401;
                    body = ("invalid token: " + auth).getBytes(StandardCharsets.UTF_8);
                } else {
                    HttpRequest.Builder forward = HttpRequest.newBuilder(prometheus.resolve(exchange.getRequestURI().toString()))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(request));
                    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (contentType != null) {
                        forward.header("Content-Type", contentType);
                    }
                    HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = answer.statusCode();
                    body = answer.body();
                    type = answer.headers().firstValue("Content-Type").orElse("application/json");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 502;
                body = new byte[0];
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** How many requests reached the proxy, with any token or none. */
    public int requests() {
        return requests.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
