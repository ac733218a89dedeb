package io.jenkins.plugins.bluegreen.smoke;

import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends checks to a URL the user gives, with {@code ${color}}, {@code ${service}} and {@code ${namespace}} filled in,
 * over the JDK's {@link HttpClient}: TLS verified as the JDK does, HTTP/1.1, redirects never followed (a redirect is an
 * answer like any other, so it fails a check that expects 200).
 */
final class BaseUrlTransport implements Transport {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final String baseUrl;
    private final HttpClient.Builder builder;
    /** One client per budget, so that each check's connect timeout is its own budget. */
    private final Map<Duration, HttpClient> clients = new HashMap<>();

    /** @throws IllegalArgumentException when the URL, once filled in, is not an http(s) URL without user info */
    BaseUrlTransport(String baseUrl, HttpClient.Builder builder) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("smokeTestBaseUrl is required");
        }
        this.baseUrl = baseUrl.trim();
        this.builder = builder;
        try {
            HttpUrl.parse(fill(this.baseUrl, new Target("default", "service", "blue")));
        } catch (HttpUrl.InvalidUrlException e) {
            throw new IllegalArgumentException("smokeTestBaseUrl: " + e.getMessage(), e);
        }
    }

    /** Replaces the placeholders; an unknown one is refused rather than sent literally. */
    static String fill(String template, Target target) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value;
            switch (m.group(1)) {
                case "color" -> value = target.color();
                case "service" -> value = target.service();
                case "namespace" -> value = target.namespace();
                default -> throw new IllegalArgumentException("smokeTestBaseUrl: unknown placeholder ${" + m.group(1)
                        + "}; use ${color}, ${service} or ${namespace}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        return m.appendTail(b).toString();
    }

    @Override
    public Reply get(Target target, String path, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        URI base = HttpUrl.parse(fill(baseUrl, target));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("User-Agent", "blue-green-deployment smoke test")
                .GET()
                .build();
        BodyPrefix body = new BodyPrefix(SmokeTester.BODY_LIMIT);
        CompletableFuture<HttpResponse<BodyPrefix>> sent = client(timeout).sendAsync(request, info -> new PrefixSubscriber(body));
        try {
            HttpResponse<BodyPrefix> response = sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Reply(response.statusCode(), response.body(), null);
        } catch (TimeoutException | InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)) {
                throw new TimeoutException(); // the client's own request timeout: the same deadline as ours
            }
            throw Failures.describe(e.getCause(), base.getAuthority());
        }
    }

    private synchronized HttpClient client(Duration timeout) {
        return clients.computeIfAbsent(timeout, t -> builder
                .connectTimeout(t)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    /** Collects the first bytes of the body, then cancels the rest of the download. */
    private static final class PrefixSubscriber implements HttpResponse.BodySubscriber<BodyPrefix> {
        private final BodyPrefix body;
        private final CompletableFuture<BodyPrefix> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        PrefixSubscriber(BodyPrefix body) {
            this.body = body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            if (body.append(items)) {
                subscription.request(1);
            } else {
                subscription.cancel();
                result.complete(body);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(body);
        }

        @Override
        public CompletionStage<BodyPrefix> getBody() {
            return result;
        }
    }
}
