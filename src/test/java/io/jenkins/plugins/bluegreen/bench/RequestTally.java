package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST CODE: counts the requests the mock API server answered that carried credentials, i.e. the plugin's own (the
 * steps authenticate with a bearer token; the simulated control plane and the benchmark's set-up do not). Takes the
 * requests off the server's record as they come, which also keeps that record from growing for the whole run.
 */
final class RequestTally implements AutoCloseable {

    private final AtomicLong authorized = new AtomicLong();
    private final AtomicLong all = new AtomicLong();
    private final Thread drain;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> kinds =
            new java.util.concurrent.ConcurrentHashMap<>();

    RequestTally(KubernetesMockServer server) {
        drain = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    RecordedRequest r = server.takeRequest();
                    all.incrementAndGet();
                    if (r.getHeader("Authorization") != null) {
                        authorized.incrementAndGet();
                        kinds.computeIfAbsent(kind(r.getMethod(), r.getPath()), k -> new java.util.concurrent.atomic.LongAdder()).increment();
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "simulated-request-tally");
        drain.setDaemon(true);
        drain.start();
    }

    /** Requests with credentials answered so far (taken off the record within microseconds of their answer). */
    long authorized() {
        return authorized.get();
    }

    /** The requests with credentials so far by kind, e.g. {@code GET configmaps/name}: "KIND=N;KIND=N". */
    String kinds() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(kinds).forEach((k, v) -> b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(v.sum()));
        return b.toString();
    }

    /** A request's method and resource, without namespace, names or query: {@code PUT configmaps/name}. */
    static String kind(String method, String path) {
        String p = path == null ? "" : path.replaceFirst("\\?.*", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/namespaces/[^/]+/([^/]+)(/[^/]+)?(/[^/]+)?").matcher(p);
        if (!m.find()) {
            return method + " " + p;
        }
        return method + " " + m.group(1) + (m.group(2) == null ? "" : "/name") + (m.group(3) == null ? "" : m.group(3));
    }

    @Override
    public void close() {
        drain.interrupt();
    }
}
