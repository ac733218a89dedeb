package io.jenkins.plugins.bluegreen.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear map from data values to pixels whose ends are round numbers, so that the ticks at the ends of an axis
 * carry labels a person would write.
 */
final class Scale {

    /** Steps for a time axis in seconds, up to a day: each a duration people count in. */
    private static final long[] TIME_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
        43200, 86400};

    private final double lo;
    private final double hi;
    private final double step;
    private final double fromPx;
    private final double toPx;

    private Scale(double lo, double hi, double step, double fromPx, double toPx) {
        this.lo = lo;
        this.hi = hi;
        this.step = step;
        this.fromPx = fromPx;
        this.toPx = toPx;
    }

    /**
     * A value axis from {@code min} to {@code max}, widened to multiples of a 1-2-5 step giving about
     * {@code ticks} intervals; {@code fromPx} is where {@code min}'s end lands (the bottom, for a y axis).
     */
    static Scale values(double min, double max, int ticks, double fromPx, double toPx) {
        double span = max - min;
        if (!(span > 0)) {
            span = Math.abs(max) > 0 ? Math.abs(max) : 1;
            max = min + span;
        }
        double rough = span / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double normal = rough / magnitude;
        double step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        return new Scale(lo, hi > lo ? hi : lo + step, step, fromPx, toPx);
    }

    /** A fixed axis with ticks every {@code step}, e.g. 0 to 100 % in quarters. */
    static Scale fixed(double lo, double hi, double step, double fromPx, double toPx) {
        return new Scale(lo, hi, step, fromPx, toPx);
    }

    /** A time axis from 0 to {@code seconds} (at least one), with at most {@code ticks} intervals of a countable length. */
    static Scale time(double seconds, int ticks, double fromPx, double toPx) {
        double end = Math.max(seconds, 1);
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if (end / s <= ticks) {
                step = s;
                break;
            }
        }
        double hi = Math.ceil(end / step - 1e-9) * step;
        return new Scale(0, hi, step, fromPx, toPx);
    }

    /** Where {@code v} lands, rounded to a tenth of a pixel; values beyond the ends land beyond the axis. */
    double px(double v) {
        return Formats.round(fromPx + (v - lo) / (hi - lo) * (toPx - fromPx));
    }

    /** The round values from one end to the other, both included. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long n = Math.round((hi - lo) / step);
        for (long i = 0; i <= n; i++) {
            ticks.add(lo + i * step);
        }
        return ticks;
    }

    double lo() {
        return lo;
    }

    double hi() {
        return hi;
    }

    double step() {
        return step;
    }
}
