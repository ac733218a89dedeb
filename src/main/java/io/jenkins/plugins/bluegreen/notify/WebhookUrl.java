package io.jenkins.plugins.bluegreen.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for a webhook URL. Unlike a server address ({@link io.jenkins.plugins.bluegreen.net.HttpUrl}) the URL is
 * itself the secret: its path or query is the token (Slack's {@code /services/T.../B.../x}, a Teams Workflows
 * {@code sig=}), so it comes from a secret-text credential, may carry a query, and is never logged, stored or put into
 * a message. It must be https, so that the token does not cross the network in clear, unless it points at this
 * machine (a relay or a test receiver on the loopback interface); it has a host and no user info or fragment.
 */
public final class WebhookUrl {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    /** Why a URL was refused. The message names the rule and never repeats the URL. */
    public static final class InvalidWebhookUrlException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidWebhookUrlException(String rule) {
            super(rule);
        }
    }

    private WebhookUrl() {}

    /**
     * Parses and checks a webhook URL.
     *
     * @throws InvalidWebhookUrlException naming the rule it breaks, never the URL
     */
    public static URI parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidWebhookUrlException("it is empty");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new InvalidWebhookUrlException("it is not a well-formed URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || (!scheme.equals("https") && !scheme.equals("http"))) {
            throw new InvalidWebhookUrlException("it is not an https URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getHost() == null && uri.getRawAuthority() != null
                && uri.getRawAuthority().contains("@"))) {
            throw new InvalidWebhookUrlException("it contains a user name or password");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidWebhookUrlException("it has no host");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidWebhookUrlException("it has a fragment (#...)");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new InvalidWebhookUrlException("it is http, not https: only a receiver on this machine (localhost, 127.0.0.1, [::1]) may be "
                    + "reached without TLS");
        }
        return uri;
    }

    /** A loopback host by its name or address, without a DNS lookup. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || IPV4_LOOPBACK.matcher(h).matches();
    }
}
