package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.report.ReportInput;
import io.jenkins.plugins.bluegreen.report.ReportModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import jenkins.model.RunAction2;

/**
 * The "Blue-Green Rollout" page of a build: one entry per service the build rolled out, copied from the cluster's
 * rollout record so that the build keeps its own account after later builds have moved the service on.
 * <p>
 * It is written to {@code build.xml} by XStream, so it holds only strings, numbers and lists of the small final
 * classes below, with bounded sizes; never the record itself (its owner and router are not needed here). The page
 * draws the same report as the standalone file ({@link io.jenkins.plugins.bluegreen.report.HtmlReport}) from
 * {@link Entry#getReport()}: events keep their weights and gate data as plain fields for its charts.
 */
public final class RolloutAction implements RunAction2 {

    /** Events kept per entry; the latest ones win, they carry the outcome. */
    static final int MAX_EVENTS = 200;
    /** Characters kept per message or reason. */
    static final int MAX_TEXT = 500;
    /** Entries kept per build; the earliest recorded is dropped first. */
    static final int MAX_ENTRIES = 50;
    /** The page's path under the build's URL. */
    static final String URL_NAME = "blue-green-rollout";

    /** Replaced as a whole, never changed in place: a concurrent XStream save always sees a consistent list. */
    private volatile List<Entry> entries = new ArrayList<>();

    private transient Run<?, ?> run;

    RolloutAction() {}

    /**
     * Records the current rollout of {@code record}'s service on {@code run}, replacing what the build recorded for that
     * service before. Only events at or after the record's {@code startedAt} are kept: earlier ones belong to other
     * rollouts, likely other builds. Jenkins writes the action to {@code build.xml} when it next saves the build.
     */
    public static @NonNull RolloutAction record(@NonNull Run<?, ?> run, @NonNull RolloutRecord record) {
        Objects.requireNonNull(record, "record");
        Entry entry = Entry.of(record);
        synchronized (run) {
            RolloutAction action = run.getAction(RolloutAction.class);
            if (action == null) {
                action = new RolloutAction();
                run.addAction(action);
            }
            action.put(entry);
            return action;
        }
    }

    private synchronized void put(Entry entry) {
        List<Entry> next = new ArrayList<>(getEntries());
        int at = -1;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).sameService(entry)) {
                at = i;
                break;
            }
        }
        if (at >= 0) {
            next.set(at, entry);
        } else {
            next.add(entry);
        }
        while (next.size() > MAX_ENTRIES) {
            next.remove(0);
        }
        entries = next;
    }

    /** One entry per namespace and service, in the order the build first touched them. */
    public @NonNull List<Entry> getEntries() {
        List<Entry> e = entries;
        return e == null ? List.of() : Collections.unmodifiableList(e);
    }

    /** The build, for the page's side panel; null until attached or loaded. */
    public @CheckForNull Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return Messages.RolloutAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Cuts text to {@link #MAX_TEXT} characters and replaces control characters, which XML 1.0 cannot hold. */
    static @CheckForNull String clip(@CheckForNull String s) {
        if (s == null) {
            return null;
        }
        int keep = s.length() <= MAX_TEXT ? s.length() : Character.isHighSurrogate(s.charAt(MAX_TEXT - 2)) ? MAX_TEXT - 2 : MAX_TEXT - 1;
        StringBuilder b = new StringBuilder(keep + 1);
        for (int i = 0; i < keep; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return keep < s.length() ? b.append('…').toString() : b.toString();
    }

    /** What one service's current rollout did, as far as this build saw it. */
    public static final class Entry {
        private final String namespace;
        private final String service;
        private final String outcome;
        private final String startedAt;
        private final String rollbackReason;
        private final Long recoveryMillis;
        private final List<Event> events;
        // Since the report charts; null in entries recorded before.
        private final String candidateColor;
        private final String candidateImage;
        private final String stableColor;
        private final String stableImage;
        private final String rollbackDetectedAt;
        private final String rollbackStartedAt;
        private final String rollbackCompletedAt;

        private Entry(ReportInput in, List<Event> events) {
            Rollback rb = in.rollback();
            this.namespace = clip(in.namespace());
            this.service = clip(in.service());
            this.outcome = in.outcome();
            this.startedAt = clip(in.startedAt());
            this.rollbackReason = rb == null ? null : clip(rb.reason());
            this.recoveryMillis = rb == null ? null : rb.recoveryMillis();
            this.events = new ArrayList<>(events);
            this.candidateColor = in.candidateColor();
            this.candidateImage = clip(in.candidateImage());
            this.stableColor = in.stableColor();
            this.stableImage = clip(in.stableImage());
            this.rollbackDetectedAt = rb == null ? null : clip(rb.detectedAt());
            this.rollbackStartedAt = rb == null ? null : clip(rb.startedAt());
            this.rollbackCompletedAt = rb == null ? null : clip(rb.completedAt());
        }

        /**
         * The summary of {@code r}'s current rollout, chosen as the report chooses it ({@link ReportInput#of}): events
         * at or after its start, and its rollback only if it happened since.
         */
        static Entry of(RolloutRecord r) {
            ReportInput in = ReportInput.of(r);
            List<Event> events = new ArrayList<>();
            for (RolloutEvent e : in.events()) {
                events.add(Event.of(e));
            }
            if (events.size() > MAX_EVENTS) {
                events = events.subList(events.size() - MAX_EVENTS, events.size());
            }
            return new Entry(in, events);
        }

        /** The report of this rollout, with the same content and charts as the standalone report file. */
        public @NonNull ReportModel getReport() {
            List<RolloutEvent> stored = new ArrayList<>();
            for (Event e : getEvents()) {
                stored.add(e.toRolloutEvent());
            }
            Rollback rb = rollbackReason == null && rollbackStartedAt == null ? null
                    : new Rollback(rollbackReason, rollbackDetectedAt, rollbackStartedAt, rollbackCompletedAt, recoveryMillis);
            return ReportModel.of(new ReportInput(namespace, service, outcome, candidateColor, candidateImage, stableColor,
                    stableImage, startedAt, rb, stored));
        }

        boolean sameService(Entry o) {
            return Objects.equals(namespace, o.namespace) && Objects.equals(service, o.service);
        }

        public String getNamespace() {
            return namespace;
        }

        public String getService() {
            return service;
        }

        /** The phase the rollout was in when last recorded, e.g. PROMOTED, STABLE, SHIFTED or ROLLED_BACK. */
        public String getOutcome() {
            return outcome;
        }

        /** ISO-8601, or null when the record had no start. */
        public @CheckForNull String getStartedAt() {
            return startedAt;
        }

        /** Why the rollout was rolled back, or null when it was not. */
        public @CheckForNull String getRollbackReason() {
            return rollbackReason;
        }

        /** From detection (or the start of the rollback) to the stable colour serving again, or null. */
        public @CheckForNull Long getRecoveryMillis() {
            return recoveryMillis;
        }

        /** Everything the current rollout recorded, oldest first. */
        public @NonNull List<Event> getEvents() {
            return events == null ? List.of() : Collections.unmodifiableList(events);
        }

        /** Pre-flight check results. */
        public @NonNull List<Event> getPreflight() {
            return ofType(Set.of("preflight"));
        }

        /** Traffic weights over time: each write and what was read back. */
        public @NonNull List<Event> getWeights() {
            return ofType(Set.of("traffic"));
        }

        /** Each gate evaluation line. */
        public @NonNull List<Event> getGates() {
            return ofType(Set.of("gate"));
        }

        /** The verdicts of the metric analyses. */
        public @NonNull List<Event> getVerdicts() {
            return ofType(Set.of("analysis"));
        }

        /** The lifecycle: phases, readiness, rollback steps, locks and notes; what the other lists do not show. */
        public @NonNull List<Event> getPhases() {
            Set<String> shownElsewhere = Set.of("preflight", "traffic", "gate", "analysis");
            return getEvents().stream().filter(e -> !shownElsewhere.contains(e.getType())).collect(Collectors.toUnmodifiableList());
        }

        private List<Event> ofType(Set<String> types) {
            return getEvents().stream().filter(e -> types.contains(e.getType())).collect(Collectors.toUnmodifiableList());
        }
    }

    /** One line of a rollout's history, with the live weights and, for a gate evaluation, its data. */
    public static final class Event {
        private final String at;
        private final String type;
        private final String message;
        // Since the report charts; null in events recorded before, and where the record had none.
        private final Integer blue;
        private final Integer green;
        private final String gate;
        private final Double value;
        private final Double threshold;
        private final String comparison;
        private final String verdict;

        private Event(String at, String type, String message, Weights weights, GatePoint gate) {
            this.at = clip(at);
            this.type = clip(type);
            this.message = clip(message);
            this.blue = weights == null ? null : weights.blue();
            this.green = weights == null ? null : weights.green();
            this.gate = gate == null ? null : clip(gate.gate());
            this.value = gate == null ? null : gate.value();
            this.threshold = gate == null ? null : gate.threshold();
            this.comparison = gate == null ? null : clip(gate.comparison());
            this.verdict = gate == null ? null : clip(gate.verdict());
        }

        static Event of(RolloutEvent e) {
            return new Event(e.at(), e.type(), e.message(), e.weights(), e.gate());
        }

        /** Back to the engine's form, for the report; weights or gate data that do not hold together are left out. */
        RolloutEvent toRolloutEvent() {
            Weights weights = null;
            if (blue != null && green != null) {
                try {
                    weights = new Weights(blue, green);
                } catch (RolloutException e) {
                    weights = null;
                }
            }
            GatePoint point = gate == null || threshold == null ? null : new GatePoint(gate, value, threshold, comparison, verdict);
            return new RolloutEvent(at, type, message, weights, point);
        }

        /** ISO-8601. */
        public String getAt() {
            return at;
        }

        public String getType() {
            return type;
        }

        public String getMessage() {
            return message;
        }

        /** Blue's share of traffic after the event, in percent, or null when not recorded. */
        public @CheckForNull Integer getBlue() {
            return blue;
        }

        /** Green's share of traffic after the event, in percent, or null when not recorded. */
        public @CheckForNull Integer getGreen() {
            return green;
        }

        /** The gate evaluated, or null when the event is not a gate evaluation. */
        public @CheckForNull String getGate() {
            return gate;
        }

        /** The gate's measured value, or null when there was none. */
        public @CheckForNull Double getValue() {
            return value;
        }

        public @CheckForNull Double getThreshold() {
            return threshold;
        }

        /** {@code >}, {@code >=}, {@code <} or {@code <=}: how the value fails. */
        public @CheckForNull String getComparison() {
            return comparison;
        }

        /** PASS, WARNING, FAIL or INCONCLUSIVE. */
        public @CheckForNull String getVerdict() {
            return verdict;
        }
    }
}
