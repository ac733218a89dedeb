package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.jenkins.plugins.bluegreen.net.ApiFailures;
import io.jenkins.plugins.bluegreen.net.RetryAfterHeader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How requests to the API server are retried. fabric8's client retries an answer of HTTP 429 or 5xx and a lost
 * connection (an {@code IOException}) up to {@link #LIMIT} times, pausing {@link #FIRST_PAUSE_MILLIS} ms and doubling
 * up to 32 times that: at most {@link #maxBackoff()} of pauses in all. It computes the pause a {@code Retry-After}
 * header asks for, but (up to 7.3 at least) schedules its own pause instead; {@link RetryAfter} holds the answer back
 * for what the server asked, up to {@link #MAX_RETRY_AFTER}, so that the next attempt comes no sooner. A request that gets no
 * answer within the request timeout, or an answer it cannot read, is not retried here: the step fails and rolls back
 * (which retries harder, see the engine's rollback).
 *
 * <p>On OkHttp (the client Jenkins runs fabric8 on) fabric8 gives each attempt two deadlines: OkHttp's call timeout
 * (the request timeout T), whose end is an {@code IOException} and so retried like a lost connection (up to 11 attempts
 * of T each), and its own, T + min(T, 5 s), whose end is not. {@link RetryAfter} moves OkHttp's past fabric8's
 * ({@link #okHttpCallTimeout}), so that an API server that does not answer fails the request once, after
 * {@link #unansweredAfter}; OkHttp's still ends the abandoned call, so no thread waits on it forever.
 */
public final class ApiRetries {

    /** fabric8's own defaults, set explicitly so that the bound the log states is the one in force. */
    public static final int LIMIT = 10;
    public static final int FIRST_PAUSE_MILLIS = 100;
    /** The longest Retry-After honoured; a server asking more gets the usual pauses. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    static final String INTERCEPTOR = "bluegreen-retry-after";
    /** fabric8's MAX_ADDITIONAL_REQUEST_TIMEOUT: how much longer than the request timeout it waits for an attempt. */
    private static final Duration MAX_ADDITIONAL_WAIT = Duration.ofSeconds(5);

    private ApiRetries() {
    }

    /** The sum of fabric8's pauses over {@link #LIMIT} retries: 100 ms doubling, capped at 32 × 100 ms. */
    public static Duration maxBackoff() {
        long total = 0;
        for (int i = 0; i < LIMIT; i++) {
            total += (long) FIRST_PAUSE_MILLIS << Math.min(i, 5);
        }
        return Duration.ofMillis(total);
    }

    /** When fabric8 gives up an attempt without an answer, and does not retry it: T + min(T, 5 s) (its StandardHttpClient). */
    static Duration unansweredAfter(Duration requestTimeout) {
        return requestTimeout.plus(requestTimeout.compareTo(MAX_ADDITIONAL_WAIT) < 0 ? requestTimeout : MAX_ADDITIONAL_WAIT);
    }

    /** OkHttp's deadline for one attempt: after fabric8's, which then decides; twice it, to end the abandoned call. */
    static Duration okHttpCallTimeout(Duration requestTimeout) {
        return unansweredAfter(requestTimeout).multipliedBy(2);
    }

    /** The pause a {@code Retry-After} value asks for (seconds or an HTTP date), at most {@link #MAX_RETRY_AFTER}; 0 if none. */
    static long retryAfterMillis(String header, long nowMillis) {
        long millis = RetryAfterHeader.askedMillis(header, nowMillis);
        return millis > MAX_RETRY_AFTER.toMillis() ? 0 : millis;
    }

    /**
     * Moves OkHttp's deadline for each attempt past fabric8's (see the class comment); holds back a 429 or 503 answer
     * for what its {@code Retry-After} asks before the client sees it, so that the client's next attempt (after its own
     * pause) comes no sooner than the server asked; and remembers which request a connection failure or timeout belongs
     * to, which fabric8's exception does not always say.
     */
    static final class RetryAfter implements Interceptor {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (builder instanceof HttpRequest.Builder b && request instanceof StandardHttpRequest r && r.getTimeout() != null
                    && r.getTimeout().compareTo(Duration.ZERO) > 0) {
                b.timeout(okHttpCallTimeout(r.getTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
            int code = response.code();
            long pause = code == 429 || code == 503 ? retryAfterMillis(response.header("Retry-After"), System.currentTimeMillis()) : 0;
            if (pause <= 0) {
                return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.supplyAsync(() -> false, CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS));
        }

        @Override
        public void afterConnectionFailure(HttpRequest request, Throwable failure) {
            ApiFailures.remember(failure, request.method(), request.uri());
        }
    }
}
