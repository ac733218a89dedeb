package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Revision;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a report is drawn from: one rollout, and only the parts of the record a report shows. The rollout record and
 * a build's stored copy of it ({@code RolloutAction}) both turn into this, so that both draw the same report.
 *
 * @param namespace the service's namespace
 * @param service the service
 * @param outcome the phase the rollout was last in, e.g. {@code ROLLED_BACK}, or {@code UNKNOWN}
 * @param candidateColor the colour this rollout brought up ({@code blue}/{@code green}), or null
 * @param candidateImage its image, or null
 * @param stableColor the colour that served before it, or null
 * @param stableImage its image, or null
 * @param startedAt ISO-8601, or null when the record has no start
 * @param rollback this rollout's rollback, or null
 * @param events this rollout's events, oldest first
 */
public record ReportInput(String namespace, String service, String outcome, String candidateColor, String candidateImage,
        String stableColor, String stableImage, String startedAt, Rollback rollback, List<RolloutEvent> events) {

    public ReportInput {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * The current rollout of {@code r}: events at or after its start (the record keeps earlier rollouts' too), and its
     * rollback only if it happened since. Events whose time cannot be read are left out when the record has a start,
     * since they cannot be shown to belong to it; a record without a start is all one rollout.
     * <p>
     * Once a promoted colour is decommissioned the record calls it stable and has no candidate: the report still
     * names it the candidate, since it is the version this rollout brought.
     */
    public static ReportInput of(RolloutRecord r) {
        Objects.requireNonNull(r, "record");
        Instant start = instant(r.getStartedAt());
        List<RolloutEvent> events = new ArrayList<>();
        for (RolloutEvent e : r.getHistory()) {
            Instant at = instant(e.at());
            if (start == null || (at != null && !at.isBefore(start))) {
                events.add(e);
            }
        }
        Rollback rb = r.getRollback();
        Instant rbStart = rb == null ? null : instant(rb.startedAt());
        boolean current = rb != null && (start == null || rbStart == null || !rbStart.isBefore(start));
        Revision candidate = r.getCandidate() != null ? r.getCandidate() : r.getStable();
        Revision stable = r.getCandidate() != null ? r.getStable() : null;
        Color stableColor = stable != null ? stable.color() : candidate != null && candidate.color() != null ? candidate.color().other() : null;
        return new ReportInput(Objects.toString(r.getNamespace(), ""), Objects.toString(r.getService(), ""),
                r.getPhase() == null ? "UNKNOWN" : r.getPhase().name(),
                candidate == null || candidate.color() == null ? null : candidate.color().label(), candidate == null ? null : candidate.image(),
                stableColor == null ? null : stableColor.label(), stable == null ? null : stable.image(),
                r.getStartedAt(), current ? rb : null, events);
    }

    /** An ISO-8601 instant, or null when there is none or it cannot be read. */
    static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
