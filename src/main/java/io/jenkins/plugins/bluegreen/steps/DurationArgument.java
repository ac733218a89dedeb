package io.jenkins.plugins.bluegreen.steps;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Pipeline authors write them: {@code '90s'}, {@code '5m'}, {@code '1h'}, {@code '1h30m'},
 * {@code '500ms'}, or a plain number of seconds. Steps keep the text (for the Snippet Generator) and parse it
 * when they are built, so a bad value is refused before anything runs.
 */
public final class DurationArgument {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|h|m|s)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|h|m|s))+|\\d{1,9}");

    /** The longest analysis window the engine accepts. */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    private DurationArgument() {}

    /**
     * {@link #parse} and a range check, so that a step refuses an absurd value when it is written.
     *
     * @throws IllegalArgumentException naming the argument, the value and the range
     */
    public static Duration parseWithin(String what, String value, Duration min, Duration max) {
        Duration d = parse(what, value);
        if (d != null && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
            throw new IllegalArgumentException(Messages.DurationArgument_OutOfRange(what, value.trim(), format(min), format(max)));
        }
        return d;
    }

    /**
     * @param what the argument's name, for the error message
     * @return the duration, or null for a null or blank value
     * @throws IllegalArgumentException naming the argument and the accepted forms
     */
    public static Duration parse(String what, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (!WHOLE.matcher(v).matches()) {
            throw new IllegalArgumentException(Messages.DurationArgument_Invalid(what, value));
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(v);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "h" -> total = total.plusHours(n);
                case "m" -> total = total.plusMinutes(n);
                case "s" -> total = total.plusSeconds(n);
                default -> total = total.plusMillis(n);
            }
        }
        return total;
    }

    /** A duration as the steps print it: {@code 1h30m}, {@code 90s} becomes {@code 1m30s}, {@code 500ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        if (ms > 0) {
            b.append(ms).append("ms");
        }
        return b.toString();
    }
}
