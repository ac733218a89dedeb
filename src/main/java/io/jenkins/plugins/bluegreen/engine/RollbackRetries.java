package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A rollback retries harder than anything else: it is what returns the traffic to the version that worked. Each
 * attempt already has the API client's own retries; a whole attempt that still fails on the cluster (an API server
 * that timed out, reset the connection, kept answering 5xx) is made again, up to {@link #ATTEMPTS} times with pauses
 * of 1, 2 and 4 s, and converges from wherever the last one stopped, since each attempt reads the record and the live
 * objects first. When the last attempt fails too, the error says loudly that the traffic may still be on the
 * candidate.
 */
public final class RollbackRetries {

    public static final int ATTEMPTS = 4;
    public static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    private RollbackRetries() {
    }

    /**
     * @param attempt one rollback, under the lock
     * @param record the record as it is now (to name the colour that may still have traffic); may fail
     */
    static <T> T run(RolloutTarget target, Supplier<T> attempt, Supplier<Optional<RolloutRecord>> record) {
        Duration pause = FIRST_PAUSE;
        long began = System.nanoTime();
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!worthRetrying(e)) {
                    throw e;
                }
                if (i >= ATTEMPTS) {
                    long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
                    throw new RolloutException(RolloutException.Kind.CLUSTER, "the rollback of " + target
                            + " could not finish after " + i + " attempts over " + seconds + " s: traffic may still be on "
                            + candidate(record) + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new RolloutException(RolloutException.Kind.CLUSTER, "interrupted while rolling back " + target
                        + ": traffic may still be on " + candidate(record));
            }
            pause = pause.multipliedBy(2);
        }
    }

    /** A failure of the cluster, not of the rollout: worth another attempt. */
    private static boolean worthRetrying(RuntimeException e) {
        return e instanceof RolloutException && ((RolloutException) e).kind() == RolloutException.Kind.CLUSTER;
    }

    private static String candidate(Supplier<Optional<RolloutRecord>> record) {
        try {
            Color c = record.get().map(RolloutRecord::candidateColor).orElse(null);
            return c == null ? "the candidate colour" : c.label();
        } catch (RuntimeException unreadable) {
            return "the candidate colour";
        }
    }
}
