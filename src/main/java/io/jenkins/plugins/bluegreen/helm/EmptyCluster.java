package io.jenkins.plugins.bluegreen.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An API server that holds nothing, on the child JVM's loopback, so that {@code lookup} answers empty as it does under
 * {@code helm template}: helm-java's template command cannot be told to render client-only, and would otherwise ask the
 * cluster of the environment. Discovery of a group version answers an empty resource list, and every other request a
 * 404, which {@code lookup} turns into an empty result. Nothing leaves the process.
 */
final class EmptyCluster implements AutoCloseable {

    private static final Pattern GROUP_VERSION = Pattern.compile("/api/v1|/apis/[^/]+/[^/]+");

    private final HttpServer server;

    private EmptyCluster(HttpServer server) {
        this.server = server;
    }

    /** Starts the server and points {@code kubeconfig} (the child's, a file of its work folder) at it. */
    static EmptyCluster start(Path kubeconfig) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", EmptyCluster::answer);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: empty\n  cluster:\n    server: \"" + url
                + "\"\ncontexts:\n- name: empty\n  context: {cluster: empty}\ncurrent-context: empty\n", StandardCharsets.UTF_8);
        return new EmptyCluster(server);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int code;
        String body;
        if (GROUP_VERSION.matcher(path).matches()) {
            code = 200;
            body = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + path.replaceFirst("^/apis?/", "")
                    + "\",\"resources\":[]}";
        } else {
            code = 404;
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                    + "\"message\":\"rendering without a cluster: nothing is found\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
