package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Views of one shared pool: each runs its tasks there and ends alone. */
class ExecutorViewTest {

    private final ExecutorService shared = Executors.newCachedThreadPool(r -> new Thread(r, "shared-under-test"));

    @AfterEach
    void stop() {
        shared.shutdownNow();
    }

    @Test
    void tasksRunOnTheSharedPool() throws Exception {
        ExecutorView view = new ExecutorView(shared);
        assertEquals("shared-under-test", view.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
    }

    @Test
    void shuttingOneViewDownLeavesThePoolAndTheOtherViewsWorking() throws Exception {
        ExecutorView closed = new ExecutorView(shared);
        ExecutorView other = new ExecutorView(shared);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> running = other.submit(() -> {
            release.await();
            return "done";
        });

        List<Runnable> waiting = closed.shutdownNow();

        assertEquals(List.of(), waiting);
        assertThrows(RejectedExecutionException.class, () -> closed.execute(() -> { }));
        assertTrue(closed.isTerminated());
        assertTrue(closed.awaitTermination(0, TimeUnit.SECONDS));
        assertFalse(shared.isShutdown());
        release.countDown();
        assertEquals("done", running.get(10, TimeUnit.SECONDS), "the other view's task was not interrupted");
        assertEquals("more", other.submit(() -> "more").get(10, TimeUnit.SECONDS));
        assertFalse(other.isTerminated());
    }

    @Test
    void aShutDownViewIsTerminatedOnceItsOwnTasksHaveFinished() throws Exception {
        ExecutorView view = new ExecutorView(shared);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        view.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await();
        view.shutdown();
        assertFalse(view.isTerminated());
        assertFalse(view.awaitTermination(50, TimeUnit.MILLISECONDS));
        release.countDown();
        assertTrue(view.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(view.isTerminated());
    }

    @Test
    void shutdownNowInterruptsOnlyItsOwnRunningTasks() throws Exception {
        ExecutorView view = new ExecutorView(shared);
        ExecutorView other = new ExecutorView(shared);
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean mineInterrupted = new AtomicBoolean();
        AtomicBoolean otherInterrupted = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        view.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                mineInterrupted.set(true);
            }
        });
        Future<?> others = other.submit(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                otherInterrupted.set(true);
            }
        });
        started.await();

        view.shutdownNow();

        assertTrue(view.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(mineInterrupted.get());
        release.countDown();
        others.get(10, TimeUnit.SECONDS);
        assertFalse(otherInterrupted.get());
    }

    /** OkHttp 5 fails calls without handing them over when its executor says it is shut down: see the class comment. */
    @Test
    void aShutDownViewRejectsRatherThanSayingSo() {
        ExecutorView view = new ExecutorView(shared);
        view.shutdown();
        assertFalse(view.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> view.execute(() -> { }));
    }
}
