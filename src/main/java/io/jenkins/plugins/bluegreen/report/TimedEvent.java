package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import java.time.Instant;

/** An event with its time read once; {@code at} is null when the recorded time cannot be read. */
record TimedEvent(RolloutEvent event, Instant at) {}
