package io.jenkins.plugins.bluegreen.steps;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import jenkins.util.SystemProperties;

/**
 * Lets at most a few pieces of work that move rollouts (deploy, readiness checks, smoke tests, the shifts between
 * windows, promotion, decommission) run on {@code jenkins.util.Timer} at once; the others wait here in the order they
 * came. Gate evaluations never come through here, so they keep the rest of the Timer's 10 threads.
 *
 * <p>Why: the Timer runs what is due in the order it fell due. When hundreds of rollouts start together, each costing
 * about a hundred API requests, the gate evaluations of the rollouts already in a window would wait behind all of
 * that work, and their windows would end with too few evaluations to decide (inconclusive: rolled back). Starting
 * rollouts a little later costs nothing; a gate that is not evaluated in its window costs the rollout. A rollback
 * never queues here on its own: a gate's runs in the window's piece, a failure's in the piece that failed (which holds
 * its slot already), an abort's straight on the Timer.
 *
 * <p>The number of slots is {@value #DEFAULT_SLOTS}, half the Timer's threads, or the system property
 * {@code io.jenkins.plugins.bluegreen.steps.WorkSlots.slots}. One instance per controller; thread-safe.
 */
final class WorkSlots {

    static final int DEFAULT_SLOTS = 5;
    private static final WorkSlots SHARED = new WorkSlots(
            Math.max(1, SystemProperties.getInteger(WorkSlots.class.getName() + ".slots", DEFAULT_SLOTS)));

    private final int slots;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int busy;
    private int mostWaiting;

    private record Waiting(Runnable work, Executor executor) {}

    WorkSlots(int slots) {
        this.slots = slots;
    }

    static WorkSlots shared() {
        return SHARED;
    }

    /**
     * Runs {@code work} on {@code executor} once a slot is free, at once if one is. The slot is held until the work
     * returns (or throws) and then goes to the longest waiting work.
     *
     * @throws RejectedExecutionException if the executor refuses the work (the slot is not kept)
     */
    void submit(Runnable work, Executor executor) {
        synchronized (this) {
            if (busy >= slots) {
                waiting.add(new Waiting(work, executor));
                mostWaiting = Math.max(mostWaiting, waiting.size());
                return;
            }
            busy++;
        }
        if (!launch(work, executor)) {
            release();
            throw new RejectedExecutionException("the executor refused a piece of rollout work");
        }
    }

    private boolean launch(Runnable work, Executor executor) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } finally {
                    release();
                }
            });
            return true;
        } catch (RejectedExecutionException x) {
            return false;
        }
    }

    /**
     * Hands the slot to the longest waiting work, or frees it. Waiting work its executor refuses is dropped (the Timer
     * refuses only once Jenkins stops; the step resumes after the restart) and the slot goes to the next.
     */
    private void release() {
        while (true) {
            Waiting next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    busy--;
                    return;
                }
            }
            if (launch(next.work(), next.executor())) {
                return;
            }
        }
    }

    /** Pieces running now. */
    synchronized int busy() {
        return busy;
    }

    /** Pieces waiting now. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** The most pieces that ever waited at once: how long the queue grew. */
    synchronized int mostWaiting() {
        return mostWaiting;
    }
}
