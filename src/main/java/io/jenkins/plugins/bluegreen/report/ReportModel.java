package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a rollout report shows, worked out from one rollout: who and what, the outcome, the key figures, the
 * rollback, the pre-flight results, the timeline, and the charts' geometry. Both renderers read only this: the
 * standalone file ({@link HtmlReport}) and the build's "Blue-Green Rollout" page, so they cannot disagree.
 * Text is kept as recorded; the renderers escape it.
 */
public final class ReportModel {

    private final String namespace;
    private final String service;
    private final String outcome;
    private final Version candidate;
    private final Version stable;
    private final String startedAt;
    private final String endedAt;
    private final long durationSeconds;
    private final Integer maxWeight;
    private final Integer lastWeight;
    private final Recovery recovery;
    private final List<Figure> figures = new ArrayList<>();
    private final List<TimelineRow> preflight = new ArrayList<>();
    private final List<TimelineRow> timeline = new ArrayList<>();
    private final List<TimelineRow> events = new ArrayList<>();
    private final Chart weightsChart;
    private final List<Chart> gateCharts = new ArrayList<>();

    private ReportModel(ReportInput in) {
        this.namespace = in.namespace() == null ? "" : in.namespace();
        this.service = in.service() == null ? "" : in.service();
        this.outcome = in.outcome() == null ? "UNKNOWN" : in.outcome();
        String candidateColor = in.candidateColor() != null ? in.candidateColor() : "green";
        this.candidate = new Version(candidateColor, in.candidateImage());
        this.stable = in.stableColor() == null ? null : new Version(in.stableColor(), in.stableImage());

        List<TimedEvent> timed = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (RolloutEvent e : in.events()) {
            Instant at = ReportInput.instant(e.at());
            timed.add(new TimedEvent(e, at));
            if (at != null) {
                first = first == null || at.isBefore(first) ? at : first;
                last = last == null || at.isAfter(last) ? at : last;
            }
        }
        Rollback rb = in.rollback();
        Instant detected = rb == null ? null : ReportInput.instant(rb.detectedAt());
        Instant rbStarted = rb == null ? null : ReportInput.instant(rb.startedAt());
        Instant rbCompleted = rb == null ? null : ReportInput.instant(rb.completedAt());
        for (Instant at : new Instant[] {rbStarted, rbCompleted}) {
            if (at != null && (last == null || at.isAfter(last))) {
                last = at;
            }
        }
        Instant recordedStart = ReportInput.instant(in.startedAt());
        Instant start = recordedStart != null ? recordedStart : first;
        this.startedAt = start == null ? null : start.toString();
        this.endedAt = last == null ? null : last.toString();
        TimeAxis axis = new TimeAxis(start, last);
        this.durationSeconds = Math.max(0, Math.round(axis.seconds(last)));

        List<TimeAxis.Moment> moments = new ArrayList<>();
        if (detected != null) {
            moments.add(new TimeAxis.Moment(detected, "breach detected", Palette.WARNING, "bgd-moment bgd-detected"));
        }
        if (rbStarted != null) {
            moments.add(new TimeAxis.Moment(rbStarted, "rollback started", Palette.FAIL, "bgd-moment bgd-rollback"));
        }
        if (rbCompleted != null) {
            moments.add(new TimeAxis.Moment(rbCompleted, "traffic back on " + (stable == null ? "stable" : stable.getColor()),
                    Palette.RECOVERED, "bgd-moment bgd-recovered"));
        }
        this.recovery = rb == null ? null : new Recovery(rb.reason(), rb.detectedAt(), rb.startedAt(), rb.completedAt(), rb.recoveryMillis());

        Map<String, List<TimedEvent>> byGate = new LinkedHashMap<>();
        int evaluations = 0;
        int failures = 0;
        for (TimedEvent t : timed) {
            RolloutEvent e = t.event();
            TimelineRow row = new TimelineRow(e.at(), t.at() == null ? e.at() : Formats.clock(t.at()),
                    t.at() == null ? "" : Formats.offset(axis.seconds(t.at())), e.type(), e.message());
            events.add(row);
            GatePoint gate = e.gate();
            boolean failed = gate != null && "FAIL".equals(gate.verdict());
            if ("preflight".equals(e.type())) {
                preflight.add(row);
            } else if (!"gate".equals(e.type()) || failed) {
                timeline.add(row);
            }
            if (gate != null) {
                evaluations++;
                failures += failed ? 1 : 0;
                if (gate.gate() != null && t.at() != null) {
                    byGate.computeIfAbsent(gate.gate(), g -> new ArrayList<>()).add(t);
                }
            }
        }
        this.weightsChart = WeightsChart.build(timed, candidateColor, axis, last, moments);
        Color color = "blue".equals(candidateColor) ? Color.BLUE : Color.GREEN;
        this.maxWeight = WeightsChart.maxShare(timed, color);
        this.lastWeight = WeightsChart.lastShare(timed, color);
        Set<String> ids = new HashSet<>();
        ids.add(WeightsChart.ID);
        for (Map.Entry<String, List<TimedEvent>> g : byGate.entrySet()) {
            gateCharts.add(GateChart.build(uniqueId("gate-" + safe(g.getKey()), ids), g.getKey(), g.getValue(), axis, moments));
        }

        if (recovery != null) {
            figures.add(new Figure("Time to revert", recovery.getRecoveryText(), "bgd-figure bgd-bad"));
        }
        figures.add(new Figure("Duration", Formats.seconds(durationSeconds), "bgd-figure"));
        figures.add(new Figure("Max weight reached", maxWeight == null ? "none recorded" : maxWeight + " % to " + candidateColor,
                "bgd-figure"));
        figures.add(new Figure("Gate evaluations", evaluations + ", " + failures + " failed",
                failures > 0 ? "bgd-figure bgd-bad" : evaluations > 0 ? "bgd-figure bgd-good" : "bgd-figure"));
        figures.add(new Figure("Pre-flight checks", preflight.isEmpty() ? "none recorded" : preflight.size() + " passed", "bgd-figure"));
    }

    /** The report of {@code record}'s current rollout (events at or after its start). */
    public static ReportModel of(RolloutRecord record) {
        return of(ReportInput.of(record));
    }

    /** The report of one rollout, e.g. as a build stored it. */
    public static ReportModel of(ReportInput input) {
        return new ReportModel(input);
    }

    /** Letters, digits, {@code -} and {@code _} of {@code name}, anything else as {@code -}: safe in an id and a URL fragment. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_-]", "-");
        return s.isEmpty() ? "gate" : s;
    }

    private static String uniqueId(String id, Set<String> taken) {
        String candidate = id;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = id + "-" + i;
        }
        return candidate;
    }

    /** {@code namespace/service}. */
    public String getTitle() {
        return namespace + "/" + service;
    }

    public String getNamespace() {
        return namespace;
    }

    public String getService() {
        return service;
    }

    /** The phase the rollout ended in (or was last in), e.g. {@code ROLLED_BACK}. */
    public String getOutcome() {
        return outcome;
    }

    /** The outcome for people, e.g. "Rolled back". */
    public String getOutcomeLabel() {
        switch (outcome) {
            case "ROLLED_BACK":
                return "Rolled back";
            case "ROLLING_BACK":
                return "Rolling back";
            case "STABLE":
                return "Stable";
            case "PROMOTED":
                return "Promoted";
            case "SHIFTED":
                return "Shifted";
            case "SHIFTING":
                return "Shifting";
            case "READY":
                return "Ready";
            case "DEPLOYING":
                return "Deploying";
            default:
                return outcome;
        }
    }

    /** Green for a rollout that went well so far, red for one that was (or is being) rolled back. */
    public String getOutcomeClass() {
        switch (outcome) {
            case "STABLE":
            case "PROMOTED":
            case "SHIFTED":
                return "bgd-badge bgd-good";
            case "ROLLED_BACK":
            case "ROLLING_BACK":
                return "bgd-badge bgd-bad";
            default:
                return "bgd-badge bgd-neutral";
        }
    }

    /** One sentence on where things stand. */
    public String getSummary() {
        String c = candidate.getColor();
        String s = stable == null ? "the stable colour" : stable.getColor();
        switch (outcome) {
            case "ROLLED_BACK":
                return "The candidate " + c + " was rolled back: " + s + " serves all traffic again.";
            case "ROLLING_BACK":
                return "Traffic is being returned to " + s + ".";
            case "PROMOTED":
                return capitalized(c) + " serves all traffic; " + s + " stays up until the bake time has passed.";
            case "STABLE":
                return capitalized(c) + " serves all traffic.";
            case "SHIFTED":
                return capitalized(c) + " has " + (lastWeight == null ? "part" : lastWeight + " %") + " of the traffic; the rollout is in progress.";
            default:
                return "The rollout is in progress.";
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The colour and image this rollout brought. */
    public Version getCandidate() {
        return candidate;
    }

    /** The colour that served before, or null when there was none (a first rollout). */
    public Version getStable() {
        return stable;
    }

    /** ISO-8601, or null when nothing says. */
    public String getStartedAt() {
        return startedAt;
    }

    /** The start for people, e.g. {@code 2026-03-01 10:00:00 UTC}, or empty. */
    public String getStartedText() {
        return startedAt == null ? "" : Formats.utc(Instant.parse(startedAt));
    }

    /** The last recorded moment for people, or empty. */
    public String getEndedText() {
        return endedAt == null ? "" : Formats.utc(Instant.parse(endedAt));
    }

    /** The last recorded moment, ISO-8601, or null. */
    public String getEndedAt() {
        return endedAt;
    }

    /** From the start to the last recorded moment, e.g. {@code 4 m 12 s}. */
    public String getDuration() {
        return Formats.seconds(durationSeconds);
    }

    /** The highest share of traffic the candidate had, in percent, or null when no weights were recorded. */
    public Integer getMaxWeight() {
        return maxWeight;
    }

    /** The rollback of this rollout, or null. */
    public Recovery getRecovery() {
        return recovery;
    }

    public List<Figure> getFigures() {
        return Collections.unmodifiableList(figures);
    }

    /** The pre-flight results, in order. */
    public List<TimelineRow> getPreflight() {
        return Collections.unmodifiableList(preflight);
    }

    /**
     * What happened, in order: every event except pre-flight results (listed on their own) and gate evaluations that
     * did not fail (they are on the gate charts).
     */
    public List<TimelineRow> getTimeline() {
        return Collections.unmodifiableList(timeline);
    }

    /** Every event of the rollout, in order. */
    public List<TimelineRow> getEvents() {
        return Collections.unmodifiableList(events);
    }

    public Chart getWeightsChart() {
        return weightsChart;
    }

    /** One chart per gate, in the order the gates were first evaluated. */
    public List<Chart> getGateCharts() {
        return Collections.unmodifiableList(gateCharts);
    }
}
