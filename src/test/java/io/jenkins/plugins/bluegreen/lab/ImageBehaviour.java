package io.jenkins.plugins.bluegreen.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TEST CODE: what a version does in the Jenkins lab, read from its image tag, so that a Pipeline picks the behaviour
 * with the image it deploys: a tag containing {@code faulty} answers {@value #FAULTY_ERROR_RATE_PERCENT} % of the
 * requests with 500, {@code slow} adds 2 s to each, {@code dbleak} holds database connections until PostgreSQL has
 * {@value #DBLEAK_PERCENT} % of {@code max_connections} in use. They combine ({@code 2.1.0-slow-faulty}); any other tag
 * is healthy.
 *
 * @param version the tag (or the digest, for an image by digest): what {@code /status} answers
 * @param errorRate the share of business requests answered 500, 0 to 1
 * @param addedLatency added to every business request
 * @param connectionShare the share of {@code max_connections} to fill with held connections; 0 for none
 */
public record ImageBehaviour(String version, double errorRate, Duration addedLatency, double connectionShare) {

    static final int FAULTY_ERROR_RATE_PERCENT = 8;
    static final int DBLEAK_PERCENT = 92;
    static final Duration SLOW_LATENCY = Duration.ofSeconds(2);

    /** Where no Deployment is: nothing to do, nothing to answer with. */
    public static final ImageBehaviour NONE = new ImageBehaviour("none", 0, Duration.ZERO, 0);

    public static ImageBehaviour of(String image) {
        String version = version(image);
        String v = version.toLowerCase(Locale.ROOT);
        return new ImageBehaviour(version,
                v.contains("faulty") ? FAULTY_ERROR_RATE_PERCENT / 100.0 : 0,
                v.contains("slow") ? SLOW_LATENCY : Duration.ZERO,
                v.contains("dbleak") ? DBLEAK_PERCENT / 100.0 : 0);
    }

    /** The tag of {@code registry:5000/shop/checkout:1.2.3}, or the digest of {@code ...@sha256:...}. */
    static String version(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    /** The same version without its faults: what a colour with no ready pods does (nothing reaches it anyway). */
    public ImageBehaviour healed() {
        return new ImageBehaviour(version, 0, Duration.ZERO, 0);
    }

    /** E.g. {@code healthy} or {@code 8 % 5xx, +2 s latency}. */
    public String describe() {
        List<String> faults = new ArrayList<>();
        if (errorRate > 0) {
            faults.add(Math.round(errorRate * 100) + " % 5xx");
        }
        if (!addedLatency.isZero()) {
            faults.add("+" + addedLatency.toSeconds() + " s latency");
        }
        if (connectionShare > 0) {
            faults.add("holds connections up to " + Math.round(connectionShare * 100) + " % of max_connections");
        }
        return faults.isEmpty() ? "healthy" : String.join(", ", faults);
    }
}
