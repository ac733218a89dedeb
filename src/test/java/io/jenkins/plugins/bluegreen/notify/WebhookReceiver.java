package io.jenkins.plugins.bluegreen.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TEST CODE: a webhook receiver on 127.0.0.1 (a JDK HttpServer) that captures every request. Each hook answers 200 by
 * default, or the statuses a test scripts ({@link #answer}), the last one repeating; {@link #HANG} accepts the request
 * and never answers. The URL of a hook carries {@link #SECRET} in its path, as a Slack webhook carries its token, so
 * tests can look for it where it must not be.
 */
public final class WebhookReceiver implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** A status that means: read the request, then never answer. */
    public static final int HANG = 0;
    /** The secret part of every hook's URL. */
    public static final String SECRET = "T0K3N-hook-s3cr3t-4f9a";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Request(String hook, String contentType, String body, Instant at) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;

    public WebhookReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor); // a hanging hook must not hold up the others
        server.createContext("/hooks/", this::handle);
        server.start();
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String hook = parts.length > 2 ? parts[2] : "";
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.add(new Request(hook, exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8), Instant.now()));
        int status = next(hook);
        if (status == HANG) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + port() + "/hooks/redirected/" + SECRET);
        }
        byte[] answer = (status < 300 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private int next(String hook) {
        Deque<Integer> script = scripts.get(hook);
        if (script == null) {
            return 200;
        }
        synchronized (script) {
            return script.size() > 1 ? script.poll() : script.isEmpty() ? 200 : script.peek();
        }
    }

    /** Makes {@code hook} answer these statuses in turn, the last one from then on; {@link #HANG} never answers. */
    public WebhookReceiver answer(String hook, int... statuses) {
        Deque<Integer> script = new ArrayDeque<>();
        for (int s : statuses) {
            script.add(s);
        }
        scripts.put(hook, script);
        return this;
    }

    /** The URL of {@code hook}, with the secret in its path. */
    public String url(String hook) {
        return "http://127.0.0.1:" + port() + "/hooks/" + hook + "/" + SECRET;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests(String hook) {
        return requests.stream().filter(r -> r.hook().equals(hook)).collect(Collectors.toList());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits for a request to {@code hook} that matches, and returns it. */
    public Request await(String hook, Predicate<Request> matching, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Request r : requests(hook)) {
                if (matching.test(r)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching request to " + hook + " within " + timeout + "; got " + requests(hook));
    }

    /** Forgets every request and script, and lets hanging requests go. */
    public void reset() {
        CountDownLatch old = release;
        release = new CountDownLatch(1);
        old.countDown();
        scripts.clear();
        requests.clear();
    }

    @Override
    public void close() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
