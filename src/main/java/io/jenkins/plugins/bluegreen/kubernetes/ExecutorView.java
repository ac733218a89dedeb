package io.jenkins.plugins.bluegreen.kubernetes;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An {@code ExecutorService} of its own over a shared {@link Executor}: its tasks run on the shared threads, and its
 * shutdown ends only this view. Once shut down it rejects new tasks ({@link RejectedExecutionException}); it is
 * terminated once shut down and its own tasks have finished. {@link #shutdownNow} interrupts only the threads that are
 * running this view's tasks, and only while they are.
 *
 * <p>One departure from {@code ExecutorService}: {@link #isShutdown} answers false, for OkHttp's sake. Its Dispatcher
 * (5.x) asks before handing calls over and, when shut down, fails them with an {@code InterruptedIOException} without
 * cause, which fabric8 7.3 cannot tell from a lost connection and retries for up to 19 s; handed over, a call is
 * rejected by {@link #execute}, and fabric8 sees the {@code RejectedExecutionException} and fails the request at once
 * ("The okhttp client executor has been shutdown"), as it did on OkHttp 4. {@link #isTerminated} and
 * {@link #awaitTermination} answer for the view.
 */
final class ExecutorView extends AbstractExecutorService {

    private final Executor shared;
    private final Object lock = new Object();
    /** The threads running this view's tasks now. */
    private final Set<Thread> running = new HashSet<>();
    /** Tasks handed to the shared executor and not yet finished (queued ones included). */
    private int pending;
    private boolean shutdown;

    ExecutorView(Executor shared) {
        this.shared = shared;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("this executor has been shut down");
            }
            pending++;
        }
        try {
            shared.execute(() -> run(task));
        } catch (RuntimeException | Error e) {
            finished();
            throw e;
        }
    }

    private void run(Runnable task) {
        Thread self = Thread.currentThread();
        synchronized (lock) {
            running.add(self);
        }
        try {
            task.run();
        } finally {
            synchronized (lock) {
                running.remove(self);
            }
            // an interrupt from shutdownNow that came as the task ended must not reach the next task on this thread
            Thread.interrupted();
            finished();
        }
    }

    private void finished() {
        synchronized (lock) {
            pending--;
            if (pending == 0) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            for (Thread t : running) {
                t.interrupt();
            }
            lock.notifyAll();
        }
        return List.of(); // the shared executor starts every task at once: none is waiting here
    }

    /** Always false: see the class comment ({@link #isTerminated} says whether it was shut down and is done). */
    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && pending == 0;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && pending == 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}
