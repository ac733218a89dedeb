package io.jenkins.plugins.bluegreen.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scrape intervals from the configuration Prometheus reports ({@code /api/v1/status/config}, YAML as text).
 * The lines are plain {@code scrape_interval: 15s} in the global section and in each job, so a line match is enough and
 * saves a YAML parser; the longest one counts, because the gates' series may come from any job.
 */
final class ScrapeConfig {

    private static final Pattern LINE = Pattern.compile("(?m)^\\s*scrape_interval:\\s*\"?([0-9a-z]+)\"?\\s*$");

    private ScrapeConfig() {
    }

    static Optional<Duration> longestScrapeInterval(String yaml) {
        Duration longest = null;
        Matcher m = LINE.matcher(yaml == null ? "" : yaml);
        while (m.find()) {
            Optional<Duration> d = PrometheusDuration.parse(m.group(1));
            if (d.isPresent() && (longest == null || d.get().compareTo(longest) > 0)) {
                longest = d.get();
            }
        }
        return Optional.ofNullable(longest);
    }
}
