package io.jenkins.plugins.bluegreen.net;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A server with an HTTP API: its base URL (http or https, checked by {@link HttpUrl}), how to authenticate and how
 * long one request may take. Each API has its own record (so that a Prometheus endpoint cannot be handed to an
 * Alertmanager client); they share these rules.
 */
public interface HttpEndpoint {

    Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    URI url();

    HttpAuth auth();

    Duration requestTimeout();

    /** The URL checked and without a trailing slash. */
    static URI checkedUrl(URI url) {
        return HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
    }

    static HttpAuth authOrNone(HttpAuth auth) {
        return auth == null ? new HttpAuth.None() : auth;
    }

    /**
     * The timeout, or the default when null.
     *
     * @param server named in the message, e.g. {@code Prometheus}
     */
    static Duration checkedTimeout(Duration requestTimeout, String server) {
        Duration timeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the " + server + " request timeout must be between 1 s and "
                    + MAX_REQUEST_TIMEOUT.toSeconds() + " s");
        }
        return timeout;
    }
}
