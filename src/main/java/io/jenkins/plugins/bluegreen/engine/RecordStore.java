package io.jenkins.plugins.bluegreen.engine;

import java.util.Optional;

/**
 * Where the rollout record of one service lives, with optimistic concurrency: every write names the version it
 * replaces, and a write over a newer version fails with {@link ConflictException}.
 */
public interface RecordStore {

    /** A record with the store's version of it (a Kubernetes resourceVersion). */
    record Stored(RolloutRecord record, String version) {}

    /** Thrown when the stored record changed since it was read. */
    class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConflictException(String message) {
            super(message);
        }
    }

    Optional<Stored> read();

    /** Writes {@code record}; {@code replaced} is null when there was none. */
    Stored write(RolloutRecord record, Stored replaced) throws ConflictException;
}
