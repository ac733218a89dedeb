package io.jenkins.plugins.bluegreen.report;

/** One event of the rollout as the timeline lists it. */
public final class TimelineRow {

    private final String at;
    private final String clock;
    private final String offset;
    private final String type;
    private final String message;

    TimelineRow(String at, String clock, String offset, String type, String message) {
        this.at = at;
        this.clock = clock;
        this.offset = offset;
        this.type = type;
        this.message = message;
    }

    /** ISO-8601, as recorded. */
    public String getAt() {
        return at;
    }

    /** The time of day in UTC, e.g. {@code 10:00:05}, or the recorded text when it cannot be read. */
    public String getClock() {
        return clock;
    }

    /** Since the rollout started, e.g. {@code +1 m 30 s}; empty when the time could not be read. */
    public String getOffset() {
        return offset;
    }

    /** phase, preflight, ready, traffic, gate, analysis, rollback, lock or note. */
    public String getType() {
        return type;
    }

    public String getMessage() {
        return message;
    }

    /** A class per type, so that rollbacks and failures stand out. */
    public String getCssClass() {
        return "bgd-type bgd-type-" + (type == null ? "note" : type.replaceAll("[^A-Za-z0-9_-]", ""));
    }
}
