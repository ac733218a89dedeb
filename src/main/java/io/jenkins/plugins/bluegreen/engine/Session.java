package io.jenkins.plugins.bluegreen.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One operation's hold on a service: its lock, and the record as last read or written. Every write of the record goes
 * through {@link #save}, which writes under the version it read and re-applies the change on a conflict.
 */
final class Session implements AutoCloseable {
    private static final int MAX_CONFLICTS = 5;

    final RolloutTarget target;
    private final RecordStore store;
    private final ServiceLock.Held held;
    private RecordStore.Stored stored;
    private String lastMessage;

    private final Clock clock;
    private final RolloutListener listener;

    private Session(RolloutTarget target, RecordStore store, ServiceLock.Held held, Clock clock, RolloutListener listener) {
        this.target = target;
        this.store = store;
        this.held = held;
        this.clock = clock;
        this.listener = listener;
        this.stored = store.read().orElse(null);
    }

    /** Takes the service's lock (waiting up to {@code lockWait}) and reads its record. */
    static Session open(Cluster cluster, Clock clock, RolloutListener listener, RolloutTarget target, String owner,
            Duration lockWait) {
        ServiceLock.Held held = cluster.lock(target).acquire(owner, lockWait);
        try {
            return new Session(target, cluster.records(target), held, clock, listener);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    RolloutRecord record() {
        return stored == null ? null : stored.record();
    }

    String lastMessage() {
        return lastMessage;
    }

    /**
     * Applies {@code change} to the latest record and writes it with an event. Someone else's write in between
     * (a conflict) makes it read again and re-apply the change.
     */
    void save(String type, String message, Consumer<RolloutRecord> change) {
        save(type, message, null, change);
    }

    void save(String type, String message, GatePoint gate, Consumer<RolloutRecord> change) {
        save(java.util.List.of(new Note(type, message, gate)), change);
    }

    /** Applies {@code change} and appends every note in one write. */
    void save(java.util.List<Note> notes, Consumer<RolloutRecord> change) {
        stored = write(store, stored, true, target, clock, listener, notes, change, "under this operation");
        lastMessage = notes.get(notes.size() - 1).message();
    }

    /** An event to append: its type, message and, for a gate evaluation, the point the report charts. */
    record Note(String type, String message, GatePoint gate) {}

    /**
     * Appends events to the record without the lock, in one write under the version read: for what was measured,
     * which changes nothing in the cluster. A write in between (a locked operation, or another build's) makes it read
     * again and append to that; the locked operation in turn re-applies its own change over this write.
     *
     * @return the record as written
     */
    static RolloutRecord append(RecordStore store, RecordStore.Stored read, RolloutTarget target, Clock clock,
            RolloutListener listener, java.util.List<Note> notes) {
        return write(store, read, true, target, clock, listener, notes, r -> {}, "while gate results were written").record();
    }

    /**
     * Changes the record without the lock, in one write with an event, as {@link #append} does: for notes about the
     * rollout (its silences) that change nothing in the cluster. Nothing is written when there is no record.
     */
    static java.util.Optional<RolloutRecord> amend(RecordStore store, RolloutTarget target, Clock clock,
            RolloutListener listener, Note note, Consumer<RolloutRecord> change) {
        RecordStore.Stored written = write(store, store.read().orElse(null), false, target, clock, listener,
                java.util.List.of(note), change, "while its silences were written");
        return java.util.Optional.ofNullable(written).map(RecordStore.Stored::record);
    }

    /**
     * Applies {@code change} to the record as {@code base} holds it, appends {@code notes} with one timestamp, and
     * writes it under {@code base}'s version, telling the listener of each event once written. A conflict reads the
     * record again and applies both again, up to {@value #MAX_CONFLICTS} times.
     *
     * @param create whether to start a record when there is none; if not, nothing is written and null is returned
     * @param during what was being written, for the error when the record kept changing
     */
    private static RecordStore.Stored write(RecordStore store, RecordStore.Stored base, boolean create, RolloutTarget target,
            Clock clock, RolloutListener listener, java.util.List<Note> notes, Consumer<RolloutRecord> change, String during) {
        RecordStore.Stored current = base;
        for (int attempt = 1; ; attempt++) {
            if (current == null && !create) {
                return null;
            }
            RolloutRecord next = current == null ? new RolloutRecord(target, null) : copy(current.record());
            change.accept(next);
            Instant at = clock.instant();
            next.setUpdatedAt(at.toString());
            java.util.List<RolloutEvent> events = new java.util.ArrayList<>();
            for (Note n : notes) {
                events.add(next.addEvent(at, n.type(), n.message(), n.gate()));
            }
            try {
                RecordStore.Stored written = store.write(next, current);
                events.forEach(e -> listener.onEvent(target, e));
                return written;
            } catch (RecordStore.ConflictException e) {
                if (attempt >= MAX_CONFLICTS) {
                    throw new RolloutException(RolloutException.Kind.CLUSTER, "the rollout record of " + target
                            + " kept changing " + during + " (" + attempt + " conflicts)", e);
                }
                current = store.read().orElse(null);
            }
        }
    }

    @Override
    public void close() {
        held.close();
    }

    private static RolloutRecord copy(RolloutRecord r) {
        return RecordJson.copy(r);
    }
}
