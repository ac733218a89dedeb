package io.jenkins.plugins.bluegreen.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How the report writes numbers, times and coordinates, the same way on both renderers. */
final class Formats {

    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {}

    /** A pixel coordinate rounded to a tenth: short SVG and a stable text to test against. */
    static double round(double px) {
        return Math.round(px * 10) / 10.0;
    }

    /** A coordinate as SVG wants it: {@code 56} or {@code 56.3}. */
    static String coord(double px) {
        double r = round(px);
        return Double.compare(r, Math.rint(r)) == 0 && Math.abs(r) < 1e9 ? Long.toString((long) r) : Double.toString(r);
    }

    /** A measured value with at most six significant digits and no exponent, as the build log writes gate values. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
    }

    /** An axis label for a tick that is a multiple of {@code step}: as many decimals as the step needs. */
    static String tick(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    /** Seconds as people read a duration: {@code 45 s}, {@code 2 m}, {@code 1 m 30 s}, {@code 1 h 5 m}. */
    static String seconds(long s) {
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " m" : s / 60 + " m " + s % 60 + " s";
        }
        long m = s / 60 % 60;
        return m == 0 ? s / 3600 + " h" : s / 3600 + " h " + m + " m";
    }

    /** A duration in milliseconds: {@code 840 ms}, {@code 1.84 s}, then as {@link #seconds}. */
    static String millis(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return BigDecimal.valueOf(ms).movePointLeft(3).round(new MathContext(3)).stripTrailingZeros().toPlainString() + " s";
        }
        return seconds(Math.round(ms / 1000.0));
    }

    /** {@code 2026-03-01 10:00:05 UTC}: the date and time to the second. */
    static String utc(Instant at) {
        return at == null ? "" : DAY_TIME.format(at.truncatedTo(ChronoUnit.SECONDS)) + " UTC";
    }

    /** {@code 10:00:05}: the time of day in UTC, to the second. */
    static String clock(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** An offset from the start of the rollout: {@code +0 s}, {@code +1 m 30 s}. */
    static String offset(double seconds) {
        return seconds < 0 ? "-" + seconds(Math.round(-seconds)) : "+" + seconds(Math.round(seconds));
    }
}
