package io.jenkins.plugins.bluegreen.net;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The JDK {@link HttpClient} that Prometheus, Alertmanager and webhook requests go through, one for all their users:
 * each JDK client owns a selector thread, a connection pool and buffers, so a client per step execution meant a thread
 * more for every running rollout. It holds nothing secret: credentials travel as a header of each request
 * ({@link JsonHttpClient}), never as an authenticator of the client, so requests with different credentials share
 * its connections and nothing outlives the request that needed it.
 *
 * <p>The client is built from {@code builders} (in Jenkins, {@code ProxyConfiguration.newHttpClientBuilder()}: its
 * proxy, proxy authentication and executor), never follows a redirect (a token goes to the configured server only),
 * and has the longest request timeout as its connect timeout, so that each request's own timeout (which covers the
 * connection too) is what bounds it. It is built again when {@code settings} hands out another object than the one it
 * was built for (in Jenkins, the {@code ProxyConfiguration}, which Jenkins replaces whenever the proxy is saved,
 * removed or set through configuration as code). The old client is then dropped, not stopped: requests in flight end on
 * it, and its selector thread ends once it is unreferenced and collected.
 *
 * <p>{@link #close} is final: the client is dropped (and, on Java 21 and later, shut down) and later requests fail, so
 * that nothing of it outlives the plugin. The build targets Java 17, whose {@link HttpClient} has no {@code close()}.
 * Thread-safe.
 */
public final class HttpTransport {

    /** {@code HttpClient.shutdown()} of Java 21 and later: ends the selector thread without waiting for a collection. */
    private static final MethodHandle SHUTDOWN = shutdownMethod();

    private final Supplier<?> settings;
    private final Supplier<HttpClient.Builder> builders;
    private HttpClient client;
    private Object builtFor;
    private boolean closed;

    /**
     * @param settings what the client depends on, compared by identity on each use (may answer null)
     * @param builders a builder with those settings, asked again for each new client
     */
    public HttpTransport(Supplier<?> settings, Supplier<HttpClient.Builder> builders) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.builders = Objects.requireNonNull(builders, "builders");
    }

    /** A transport whose settings never change: outside Jenkins (tests, tools). */
    public static HttpTransport of(HttpClient.Builder builder) {
        Object fixed = new Object();
        return new HttpTransport(() -> fixed, () -> builder);
    }

    /**
     * The client for the current settings, built on first use and after a change.
     *
     * @throws IllegalStateException once closed
     * @throws RuntimeException when the client cannot be built (the next use tries again)
     */
    public synchronized HttpClient client() {
        if (closed) {
            throw new IllegalStateException("the HTTP client is closed: Jenkins is shutting down");
        }
        // Read before building: a change in between then only costs one more build, never a stale client.
        Object current = settings.get();
        if (client == null || current != builtFor) {
            client = builders.get()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(HttpEndpoint.MAX_REQUEST_TIMEOUT)
                    .build();
            builtFor = current;
        }
        return client;
    }

    /** Whether a client is held now (built and not dropped). */
    public synchronized boolean holdsClient() {
        return client != null;
    }

    /** Drops the client for good (requests in flight end on it); later uses fail. */
    public void close() {
        HttpClient last;
        synchronized (this) {
            closed = true;
            last = client;
            client = null;
            builtFor = null;
        }
        if (last != null && SHUTDOWN != null) {
            try {
                SHUTDOWN.invoke(last);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                // shutdown() declares nothing; and dropping the client is enough: its thread ends once it is collected
            }
        }
    }

    private static MethodHandle shutdownMethod() {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, "shutdown", MethodType.methodType(void.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // Java 17
        }
    }
}
