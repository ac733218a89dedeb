package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A Prometheus server: its base URL (http or https, checked by {@link HttpUrl}), how to authenticate and how
 * long one request may take.
 */
public record PrometheusEndpoint(URI url, PrometheusAuth auth, Duration requestTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    public PrometheusEndpoint {
        url = HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
        if (auth == null) {
            auth = new PrometheusAuth.None();
        }
        if (requestTimeout == null) {
            requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the Prometheus request timeout must be between 1 s and "
                    + MAX_REQUEST_TIMEOUT.toSeconds() + " s");
        }
    }

    /** An endpoint from a URL as a user typed it. */
    public static PrometheusEndpoint of(String url, PrometheusAuth auth, Duration requestTimeout) {
        return new PrometheusEndpoint(HttpUrl.parse(url), auth, requestTimeout);
    }
}
