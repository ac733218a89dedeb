package io.jenkins.plugins.bluegreen.notify;

import io.jenkins.plugins.bluegreen.net.HttpTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * POSTs a notification to a webhook without ever holding a thread: the JDK's {@link HttpClient} sends asynchronously and
 * the retries are scheduled. A delivery is tried at most {@value #MAX_ATTEMPTS} times (after 0.5 s, then 1 s) with
 * {@link #ATTEMPT_TIMEOUT} each, and always settles within {@link #TOTAL_BOUND} of the first attempt, delivered or not:
 * a receiver that answers 5xx, 408 or 429, times out or refuses the connection is tried again; any other answer and a
 * failed TLS handshake are final. The {@link HttpTransport} is the caller's (in Jenkins the plugin's one client, with
 * Jenkins' proxy, which the Prometheus and Alertmanager clients use too: a webhook carries no credential of the
 * client's, and each attempt has its own timeout, which covers connecting). TLS is verified as the JDK does, and
 * redirects are not followed, so the message only ever goes to the URL given. Problems are described by kind and
 * status, never with the URL or the receiver's answer.
 */
public final class WebhookSender {

    public static final int MAX_ATTEMPTS = 3;
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** The longest a delivery takes, retries included: what a step's end may wait for its notifications. */
    public static final Duration TOTAL_BOUND = Duration.ofSeconds(10);
    private static final List<Duration> BACKOFF = List.of(Duration.ofMillis(500), Duration.ofSeconds(1));
    /** No attempt starts with less time than this left: it could not be answered in time anyway. */
    private static final Duration SHORTEST_ATTEMPT = Duration.ofMillis(250);

    /**
     * How a delivery went.
     *
     * @param status the last HTTP status, or 0 when none came
     * @param problem why it was not delivered (e.g. {@code HTTP 500}, {@code no answer within 3 s}); null when it was
     */
    public record Delivery(boolean delivered, int attempts, int status, long millis, String problem) {}

    private final HttpTransport transport;
    private final ScheduledExecutorService scheduler;

    /** @param scheduler runs the retries (in Jenkins, its {@code Timer}); it only ever starts an asynchronous send */
    public WebhookSender(HttpTransport transport, ScheduledExecutorService scheduler) {
        this.transport = transport;
        this.scheduler = scheduler;
    }

    /** Sends {@code body} (UTF-8 JSON) to {@code url}; the future always completes normally, within {@link #TOTAL_BOUND}. */
    public CompletableFuture<Delivery> send(URI url, byte[] body) {
        CompletableFuture<Delivery> result = new CompletableFuture<>();
        long start = System.nanoTime();
        attempt(url, body.clone(), 1, start, result);
        return result;
    }

    private void attempt(URI url, byte[] body, int n, long start, CompletableFuture<Delivery> result) {
        long left = start + TOTAL_BOUND.toNanos() - System.nanoTime();
        Duration timeout = Duration.ofNanos(Math.min(ATTEMPT_TIMEOUT.toNanos(), left));
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            sent = transport.client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            result.complete(new Delivery(false, n, 0, millisSince(start), "the request could not be made (" + e.getClass().getSimpleName() + ")"));
            return;
        }
        sent.whenComplete((response, failure) -> {
            int status = response == null ? 0 : response.statusCode();
            if (failure == null && status >= 200 && status < 300) {
                result.complete(new Delivery(true, n, status, millisSince(start), null));
                return;
            }
            String problem = failure == null ? "HTTP " + status : describe(unwrap(failure), timeout);
            boolean again = failure == null ? status >= 500 || status == 408 || status == 429 : !(unwrap(failure) instanceof SSLException);
            Duration wait = n - 1 < BACKOFF.size() ? BACKOFF.get(n - 1) : BACKOFF.get(BACKOFF.size() - 1);
            long remaining = start + TOTAL_BOUND.toNanos() - System.nanoTime() - wait.toNanos();
            if (!again || n >= MAX_ATTEMPTS || remaining < SHORTEST_ATTEMPT.toNanos()) {
                result.complete(new Delivery(false, n, status, millisSince(start), problem));
                return;
            }
            try {
                scheduler.schedule(() -> attempt(url, body, n + 1, start, result), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                result.complete(new Delivery(false, n, status, millisSince(start), problem));
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        Throwable x = t;
        while ((x instanceof CompletionException || x instanceof ExecutionException) && x.getCause() != null) {
            x = x.getCause();
        }
        return x;
    }

    /** What went wrong, by kind: an exception's message may name the host or echo the request. */
    private static String describe(Throwable t, Duration timeout) {
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + Math.max(1, Math.round(timeout.toMillis() / 1000.0)) + " s";
        }
        if (t instanceof ConnectException) {
            return "the connection was refused";
        }
        if (t instanceof SSLException) {
            return "the TLS handshake failed (certificate not trusted?)";
        }
        if (t instanceof IOException) {
            return "the connection failed (" + t.getClass().getSimpleName() + ")";
        }
        return t.getClass().getSimpleName();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
