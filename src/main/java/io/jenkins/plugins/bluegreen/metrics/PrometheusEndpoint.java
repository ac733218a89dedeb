package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.net.URI;
import java.time.Duration;

/**
 * A Prometheus server: its base URL (http or https, checked by {@link HttpUrl}), how to authenticate and how
 * long one request may take.
 */
public record PrometheusEndpoint(URI url, HttpAuth auth, Duration requestTimeout) implements HttpEndpoint {

    public PrometheusEndpoint {
        url = HttpEndpoint.checkedUrl(url);
        auth = HttpEndpoint.authOrNone(auth);
        requestTimeout = HttpEndpoint.checkedTimeout(requestTimeout, "Prometheus");
    }

    /** An endpoint from a URL as a user typed it. */
    public static PrometheusEndpoint of(String url, HttpAuth auth, Duration requestTimeout) {
        return new PrometheusEndpoint(HttpUrl.parse(url), auth, requestTimeout);
    }
}
