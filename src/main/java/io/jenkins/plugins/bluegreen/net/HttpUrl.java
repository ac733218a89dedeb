package io.jenkins.plugins.bluegreen.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for every server address the plugin talks to (Kubernetes API servers, Prometheus): an absolute
 * http or https URL with a host, and without user info, query or fragment. Credentials never travel in a URL:
 * they come from Jenkins credentials, so a URL may be logged, stored and shown.
 */
public final class HttpUrl {

    /** Why a URL was refused; the Jenkins layer turns these into localized messages. */
    public enum Problem {
        MISSING("a URL is required"),
        MALFORMED("the URL is not well formed"),
        SCHEME("only http and https URLs are allowed"),
        NO_HOST("the URL has no host"),
        USER_INFO("the URL must not contain a user name or password: use a credentials ID"),
        QUERY_OR_FRAGMENT("the URL must not contain a query or a fragment");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A refused URL; the message names the problem and never repeats the URL (it could hold a secret). */
    public static final class InvalidUrlException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        InvalidUrlException(Problem problem) {
            super(problem.description());
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private HttpUrl() {}

    /**
     * Parses and checks a URL. A trailing slash is removed so that paths can be appended.
     *
     * @throws InvalidUrlException naming the first rule the URL breaks
     */
    public static URI parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidUrlException(Problem.MISSING);
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new InvalidUrlException(Problem.MALFORMED);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new InvalidUrlException(scheme.isEmpty() ? Problem.MALFORMED : schemeOrMalformed(scheme));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlException(Problem.SCHEME);
        }
        if (uri.getRawUserInfo() != null || (uri.getHost() == null && uri.getRawAuthority() != null
                && uri.getRawAuthority().contains("@"))) {
            throw new InvalidUrlException(Problem.USER_INFO);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidUrlException(Problem.NO_HOST);
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) { // the URI grammar takes any digits; a socket does not
            throw new InvalidUrlException(Problem.MALFORMED);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidUrlException(Problem.QUERY_OR_FRAGMENT);
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /** {@code file:}, {@code ftp:} and friends are a scheme problem even when their shape is unusual. */
    private static Problem schemeOrMalformed(String scheme) {
        return scheme.equals("http") || scheme.equals("https") ? Problem.MALFORMED : Problem.SCHEME;
    }
}
