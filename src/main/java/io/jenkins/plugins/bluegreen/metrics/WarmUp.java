package io.jenkins.plugins.bluegreen.metrics;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an analysis waits, after a shift, for a gate's first sample of the candidate before "no data" counts. A
 * {@code rate(x[1m])} has a value once the new colour's counter was scraped twice with traffic between: up to two
 * scrape intervals after the first request, and the rate window must hold both scrapes. Hence the default
 * {@code 2 × scrape interval + the gate's longest range}; a gate without a range waits two scrape intervals.
 */
public final class WarmUp {

    /** What Prometheus scrapes at when its configuration names no interval. */
    public static final Duration PROMETHEUS_DEFAULT_SCRAPE = Duration.ofMinutes(1);

    private static final Pattern RANGE = Pattern.compile("\\[(" + PrometheusDuration.WHOLE.pattern() + ")(?::[^\\]]*)?\\]");

    private WarmUp() {
    }

    /** The longest range selector or subquery range in a query, e.g. 1 min for {@code rate(x[1m])}; zero if none. */
    public static Duration rangeOf(String promql) {
        Duration longest = Duration.ZERO;
        Matcher m = RANGE.matcher(promql);
        while (m.find()) {
            Duration d = PrometheusDuration.parse(m.group(1)).orElse(Duration.ZERO);
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }

    /** The default warm-up of a gate on a Prometheus that scrapes every {@code scrapeInterval}. */
    public static Duration of(Gate gate, Duration scrapeInterval) {
        Duration seconds = Duration.ofSeconds((scrapeInterval.toMillis() * 2 + 999) / 1000);
        if (TrafficShare.NAME.equals(gate.name())) {
            // counted from the window's start, not over the query's range: a third scrape lets the router settle
            return Duration.ofSeconds((scrapeInterval.toMillis() * 3 + 999) / 1000);
        }
        return seconds.plus(rangeOf(gate.query()));
    }
}
