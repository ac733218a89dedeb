package io.jenkins.plugins.bluegreen.smoke;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * One smoke check: a GET of {@code path} on the candidate colour that must answer {@code expectedStatus}, contain
 * {@code bodyContains} (when given) and answer within {@code maxLatency}. Checked when built, so a bad check is refused
 * before anything is sent.
 *
 * @param path the path and optional query, starting with {@code /}, e.g. {@code /healthz}
 * @param expectedStatus the HTTP status the check expects, 100 to 599
 * @param bodyContains text the response body must contain (searched in its first MiB, decoded as
 *     UTF-8), or null for no body check
 * @param maxLatency the latency budget, positive and at most {@code MAX_LATENCY}; null means {@code DEFAULT_MAX_LATENCY}
 */
public record SmokeCheck(String path, int expectedStatus, String bodyContains, Duration maxLatency) implements Serializable {

    public static final int DEFAULT_STATUS = 200;
    public static final Duration DEFAULT_MAX_LATENCY = Duration.ofSeconds(2);
    public static final Duration MAX_LATENCY = Duration.ofMinutes(5);
    public static final int MAX_PATH_LENGTH = 2000;
    /** Long enough for any marker a health page shows; short enough to quote in a failure message. */
    public static final int MAX_BODY_CONTAINS_LENGTH = 1000;

    public SmokeCheck {
        if (!isValidPath(path)) {
            throw new IllegalArgumentException("path must start with '/', have no whitespace or control characters and at most "
                    + MAX_PATH_LENGTH + " characters, got " + quote(path));
        }
        if (!isValidStatus(expectedStatus)) {
            throw new IllegalArgumentException("expectedStatus must be from 100 to 599, got " + expectedStatus);
        }
        if (bodyContains != null && (bodyContains.isEmpty() || bodyContains.length() > MAX_BODY_CONTAINS_LENGTH)) {
            throw new IllegalArgumentException("bodyContains must be null or 1 to " + MAX_BODY_CONTAINS_LENGTH
                    + " characters, got " + bodyContains.length() + " characters");
        }
        if (maxLatency == null) {
            maxLatency = DEFAULT_MAX_LATENCY;
        }
        if (!isValidLatency(maxLatency)) {
            throw new IllegalArgumentException("maxLatency must be positive and at most 5 minutes, got " + maxLatency.toMillis() + " ms");
        }
    }

    /** A check of {@code path} with the defaults: status 200, no body check, a budget of 2 s. */
    public SmokeCheck(String path) {
        this(path, DEFAULT_STATUS, null, DEFAULT_MAX_LATENCY);
    }

    /**
     * Whether {@code path} is a path (and optional query) that can be appended to a base URL as it is: it starts with
     * {@code /}, has no whitespace, control character or fragment, and parses as a URI.
     */
    public static boolean isValidPath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH_LENGTH || path.charAt(0) != '/') {
            return false;
        }
        if (path.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
            return false;
        }
        try {
            return new URI("http://host" + path).getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    public static boolean isValidStatus(int status) {
        return status >= 100 && status <= 599;
    }

    public static boolean isValidLatency(Duration latency) {
        return latency != null && !latency.isNegative() && !latency.isZero() && latency.compareTo(MAX_LATENCY) <= 0;
    }

    /** A user's value for a message: quoted, control characters escaped, cut after 100 characters. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        value.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(value.codePointCount(0, value.length()) > 100 ? "...\"" : "\"").toString();
    }
}
