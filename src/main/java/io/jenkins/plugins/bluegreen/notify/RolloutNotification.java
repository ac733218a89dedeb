package io.jenkins.plugins.bluegreen.notify;

import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Revision;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one notification says, taken from the rollout record at the moment it is sent: the event, the service, the
 * versions on each side, the reason with the failing gate's value and threshold, the time to revert and the links
 * to the build and its report. Plain data, never saved and never holding a secret (the webhook URL is not part of it).
 */
public final class RolloutNotification {

    /** Longest reason a message carries; the build log and the record keep the whole text. */
    static final int MAX_REASON = 1000;

    private final NotificationEvent event;
    private final String step;
    private final String namespace;
    private final String service;
    private final String phase;
    private final String candidateColor;
    private final String stableColor;
    private final String fromColor;
    private final String fromImage;
    private final String toColor;
    private final String toImage;
    private final String traffic;
    private final String reason;
    private final boolean candidateFault;
    private final GatePoint gate;
    private final Long timeToRevertMillis;
    private final Instant at;
    private final String build;
    private final String buildUrl;
    private final String reportUrl;

    private RolloutNotification(Builder b) {
        event = b.event;
        step = b.step;
        namespace = b.target.namespace();
        service = b.target.service();
        RolloutRecord r = b.record;
        phase = r == null || r.getPhase() == null ? null : r.getPhase().name();
        candidateColor = r == null || r.candidateColor() == null ? null : r.candidateColor().label();
        stableColor = r == null || r.stableColor() == null ? null : r.stableColor().label();
        // During a rollout and after a rollback the record holds the old version as stable and the new one as the
        // candidate; after a decommission the new one is stable and the old one is only in the record from before.
        Revision from = r == null ? null : r.getCandidate() != null ? r.getStable() : b.before == null ? null : b.before.getStable();
        Revision to = r == null ? null : r.getCandidate() != null ? r.getCandidate() : r.getStable();
        fromColor = from == null || from.color() == null ? null : from.color().label();
        fromImage = from == null ? null : from.image();
        toColor = to == null || to.color() == null ? null : to.color().label();
        toImage = to == null ? null : to.image();
        traffic = r == null || r.getWeights() == null ? null : r.getWeights().toString();
        reason = b.reason == null || b.reason.isBlank() ? null : shorten(b.reason.trim());
        candidateFault = b.candidateFault;
        gate = event.isBad() ? failingGate(r, reason) : null;
        timeToRevertMillis = event == NotificationEvent.ROLLBACK && r != null && r.getRollback() != null
                ? r.getRollback().recoveryMillis() : null;
        at = b.at;
        build = b.build;
        buildUrl = b.buildUrl;
        reportUrl = b.reportUrl;
    }

    /** A notification of {@code event} about {@code target}, sent by the step {@code step}. */
    public static Builder of(NotificationEvent event, String step, RolloutTarget target) {
        return new Builder(event, step, target);
    }

    /** The parts of a notification that do not come from the record. */
    public static final class Builder {
        private final NotificationEvent event;
        private final String step;
        private final RolloutTarget target;
        private RolloutRecord record;
        private RolloutRecord before;
        private String reason;
        private boolean candidateFault;
        private Instant at = Instant.now();
        private String build;
        private String buildUrl;
        private String reportUrl;

        private Builder(NotificationEvent event, String step, RolloutTarget target) {
            this.event = event;
            this.step = step;
            this.target = target;
        }

        /** The record as it is now; null when it could not be read (the message then says less). */
        public Builder record(RolloutRecord record) {
            this.record = record;
            return this;
        }

        /** The record before a decommission, which still names the version that was retired. */
        public Builder before(RolloutRecord before) {
            this.before = before;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** Whether the candidate itself failed (a gate, a smoke test, readiness): it is then "degraded". */
        public Builder candidateFault(boolean candidateFault) {
            this.candidateFault = candidateFault;
            return this;
        }

        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** The build by name ({@code folder/job#12}), with its URL and its Blue-Green Rollout page when Jenkins knows its own URL. */
        public Builder build(String build, String buildUrl, String reportUrl) {
            this.build = build;
            this.buildUrl = buildUrl;
            this.reportUrl = reportUrl;
            return this;
        }

        public RolloutNotification build() {
            return new RolloutNotification(this);
        }
    }

    /**
     * The gate whose failure the reason names, as the record holds its last failing evaluation: its value and threshold
     * as numbers. Only evaluations of the current rollout count.
     */
    private static GatePoint failingGate(RolloutRecord r, String reason) {
        if (r == null || reason == null) {
            return null;
        }
        List<RolloutEvent> history = r.getHistory() == null ? List.of() : r.getHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            RolloutEvent e = history.get(i);
            if (r.getStartedAt() != null && e.at() != null && e.at().compareTo(r.getStartedAt()) < 0) {
                break;
            }
            GatePoint g = e.gate();
            if (g != null && "FAIL".equals(g.verdict()) && reason.contains(g.gate() + " FAIL")) {
                return g;
            }
        }
        return null;
    }

    /**
     * The headline, after the first deployment guide's {@code @team Rollback initiated – green service degraded}; the
     * mention ({@code @here}) is added by each format in its own syntax.
     */
    public String headline() {
        String candidate = candidateColor == null ? "" : " " + candidateColor;
        switch (event) {
            case ROLLBACK:
                return "Rollback initiated \u2013 " + service + candidate + (candidateFault ? " degraded" : " withdrawn");
            case FAILED:
                return "Rollout of " + service + " failed";
            case STARTED:
                return step + " started \u2013 " + service;
            case READY:
                return service + candidate + " ready \u2013 no traffic yet";
            case PROMOTED:
                return service + candidate + " promoted \u2013 it serves all traffic";
            case STABLE:
                return service + (toColor == null ? "" : " " + toColor) + " stable"
                        + (fromColor == null ? " \u2013 first rollout" : " \u2013 " + fromColor + " decommissioned");
            default:
                throw new IllegalStateException(String.valueOf(event));
        }
    }

    /** What the rollout looks like now, in one sentence. */
    public String summary() {
        switch (event) {
            case ROLLBACK:
                return stableColor == null ? "Nothing was live; the candidate was scaled to zero."
                        : "Traffic is back on " + stableColor + (candidateColor == null ? "." : "; " + candidateColor + " is scaled to zero.");
            case FAILED:
                return "Nothing was rolled back" + (traffic == null ? "." : "; traffic is " + traffic + ".");
            case PROMOTED:
                return fromColor == null ? "" : fromColor + " stays up for a rollback until the bake time has passed.";
            default:
                return traffic == null ? "" : "Traffic is " + traffic + ".";
        }
    }

    /**
     * The facts every format shows, in order, as label and text: service, versions, phase, traffic, reason, gate,
     * time to revert, step and build. Links are left to the formats.
     */
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Service", service + " in " + namespace);
        if (fromImage != null || toImage != null) {
            facts.put("From", describe(fromColor, fromImage));
            facts.put("To", describe(toColor, toImage));
        }
        if (phase != null) {
            facts.put("Phase", phase);
        }
        if (traffic != null) {
            facts.put("Traffic", traffic);
        }
        if (reason != null) {
            facts.put("Reason", reason);
        }
        if (gate != null) {
            facts.put("Gate", gate.gate() + ": value " + (gate.value() == null ? "none" : number(gate.value())) + " (fails when "
                    + gate.comparison() + " " + number(gate.threshold()) + ")");
        }
        if (timeToRevertMillis != null) {
            facts.put("Time to revert", timeToRevertMillis + " ms");
        }
        facts.put("Step", step + (build == null ? "" : " in " + build));
        return facts;
    }

    private static String describe(String color, String image) {
        if (image == null) {
            return color == null ? "-" : color;
        }
        return version(image) + (color == null ? "" : " (" + color + ")");
    }

    /** The version an image names: its tag, or the start of its digest. */
    public static String version(String image) {
        if (image == null) {
            return null;
        }
        int at = image.indexOf('@');
        if (at >= 0) {
            String digest = image.substring(at + 1);
            int colon = digest.indexOf(':');
            String hex = colon >= 0 ? digest.substring(colon + 1) : digest;
            return (colon >= 0 ? digest.substring(0, colon + 1) : "") + hex.substring(0, Math.min(12, hex.length()));
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : image.substring(slash + 1);
    }

    /** Six significant digits, no exponent, as the build log writes gate values. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 3) + "...";
    }

    public NotificationEvent event() {
        return event;
    }

    public String step() {
        return step;
    }

    public String namespace() {
        return namespace;
    }

    public String service() {
        return service;
    }

    public String phase() {
        return phase;
    }

    public String candidateColor() {
        return candidateColor;
    }

    public String stableColor() {
        return stableColor;
    }

    public String fromColor() {
        return fromColor;
    }

    public String fromImage() {
        return fromImage;
    }

    public String toColor() {
        return toColor;
    }

    public String toImage() {
        return toImage;
    }

    public String traffic() {
        return traffic;
    }

    public String reason() {
        return reason;
    }

    public boolean candidateFault() {
        return candidateFault;
    }

    /** The failing gate's evaluation, for a rollback or failure that a gate caused; else null. */
    public GatePoint gate() {
        return gate;
    }

    public Long timeToRevertMillis() {
        return timeToRevertMillis;
    }

    public Instant at() {
        return at;
    }

    public String build() {
        return build;
    }

    public String buildUrl() {
        return buildUrl;
    }

    public String reportUrl() {
        return reportUrl;
    }

    /** A link of the message. */
    record Link(String label, String url) {}

    /** The links of the message: the build and its Blue-Green Rollout page, when Jenkins knows its own URL. */
    List<Link> links() {
        List<Link> links = new ArrayList<>();
        if (buildUrl != null) {
            links.add(new Link(build == null ? "Build" : "Build " + build, buildUrl));
        }
        if (reportUrl != null) {
            links.add(new Link("Rollout report", reportUrl));
        }
        return links;
    }
}
