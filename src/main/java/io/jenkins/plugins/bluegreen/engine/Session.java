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
        for (int attempt = 1; ; attempt++) {
            RolloutRecord next = stored == null ? new RolloutRecord(target, null) : copy(stored.record());
            change.accept(next);
            Instant at = clock.instant();
            next.setUpdatedAt(at.toString());
            RolloutEvent event = next.addEvent(at, type, message, gate);
            try {
                stored = store.write(next, stored);
                lastMessage = message;
                listener.onEvent(target, event);
                return;
            } catch (RecordStore.ConflictException e) {
                if (attempt >= MAX_CONFLICTS) {
                    throw new RolloutException(RolloutException.Kind.CLUSTER, "the rollout record of " + target
                            + " kept changing under this operation (" + attempt + " conflicts)", e);
                }
                stored = store.read().orElse(null);
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
