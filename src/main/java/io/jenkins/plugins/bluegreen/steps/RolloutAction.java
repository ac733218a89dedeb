package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * classes below, with bounded sizes; never the record itself (its owner, revisions and router are not needed here).
 */
public final class RolloutAction implements RunAction2 {

    /** Events kept per entry; the latest ones win, they carry the outcome. */
    static final int MAX_EVENTS = 200;
    /** Characters kept per message or reason. */
    static final int MAX_TEXT = 500;
    /** Entries kept per build; the earliest recorded is dropped first. */
    static final int MAX_ENTRIES = 50;

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
        return "blue-green-rollout";
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

    private static @CheckForNull Instant instant(@CheckForNull String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
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

        Entry(String namespace, String service, String outcome, String startedAt, String rollbackReason, Long recoveryMillis,
                List<Event> events) {
            this.namespace = namespace;
            this.service = service;
            this.outcome = outcome;
            this.startedAt = startedAt;
            this.rollbackReason = rollbackReason;
            this.recoveryMillis = recoveryMillis;
            this.events = new ArrayList<>(events);
        }

        /**
         * The summary of {@code r}'s current rollout. Events whose time cannot be read are left out when the record
         * has a start, since they cannot be shown to belong to it; a record without a start keeps its whole history.
         */
        static Entry of(RolloutRecord r) {
            Instant start = instant(r.getStartedAt());
            List<Event> events = new ArrayList<>();
            for (RolloutEvent e : r.getHistory()) {
                Instant at = instant(e.at());
                if (start == null || (at != null && !at.isBefore(start))) {
                    events.add(new Event(clip(e.at()), clip(e.type()), clip(e.message())));
                }
            }
            if (events.size() > MAX_EVENTS) {
                events = events.subList(events.size() - MAX_EVENTS, events.size());
            }
            Rollback rb = r.getRollback();
            Instant rbStart = rb == null ? null : instant(rb.startedAt());
            boolean current = rb != null && (start == null || rbStart == null || !rbStart.isBefore(start));
            return new Entry(clip(Objects.toString(r.getNamespace(), "")), clip(Objects.toString(r.getService(), "")),
                    r.getPhase() == null ? "UNKNOWN" : r.getPhase().name(), clip(r.getStartedAt()),
                    current ? clip(rb.reason()) : null, current ? rb.recoveryMillis() : null, events);
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

    /** One line of a rollout's history. */
    public static final class Event {
        private final String at;
        private final String type;
        private final String message;

        Event(String at, String type, String message) {
            this.at = at;
            this.type = type;
            this.message = message;
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
    }
}
