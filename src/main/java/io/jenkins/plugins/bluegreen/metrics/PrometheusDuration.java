package io.jenkins.plugins.bluegreen.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus' duration syntax ({@code 15s}, {@code 1m30s}, {@code 100ms}, {@code 1h}), as its config and PromQL write it. */
final class PrometheusDuration {

    private static final Pattern UNIT = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");
    static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|y|w|d|h|m|s))+");

    private PrometheusDuration() {
    }

    static Optional<Duration> parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        long millis = 0;
        Matcher m = UNIT.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": millis += n; break;
                case "s": millis += n * 1_000L; break;
                case "m": millis += n * 60_000L; break;
                case "h": millis += n * 3_600_000L; break;
                case "d": millis += n * 86_400_000L; break;
                case "w": millis += n * 7 * 86_400_000L; break;
                default: millis += n * 365 * 86_400_000L; break;
            }
        }
        return Optional.of(Duration.ofMillis(millis));
    }
}
