package io.jenkins.plugins.bluegreen.metrics;

import java.util.List;
import java.util.Map;

/** One series of a range query: its labels and its samples, oldest first. */
public record Series(Map<String, String> labels, List<Sample> samples) {

    public Series {
        labels = Map.copyOf(labels);
        samples = List.copyOf(samples);
    }
}
