package io.jenkins.plugins.bluegreen.alerting;

import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.net.URI;
import java.time.Duration;

/**
 * An Alertmanager: its base URL (http or https, checked by {@link HttpUrl}; a path prefix such as {@code /alertmanager}
 * is kept), how to authenticate and how long one request may take.
 */
public record AlertmanagerEndpoint(URI url, HttpAuth auth, Duration requestTimeout) implements HttpEndpoint {

    public AlertmanagerEndpoint {
        url = HttpEndpoint.checkedUrl(url);
        auth = HttpEndpoint.authOrNone(auth);
        requestTimeout = HttpEndpoint.checkedTimeout(requestTimeout, "Alertmanager");
    }

    /** An endpoint from a URL as a user typed it. */
    public static AlertmanagerEndpoint of(String url, HttpAuth auth, Duration requestTimeout) {
        return new AlertmanagerEndpoint(HttpUrl.parse(url), auth, requestTimeout);
    }
}
