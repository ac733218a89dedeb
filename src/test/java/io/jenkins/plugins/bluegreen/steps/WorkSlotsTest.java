package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slots that keep rollout-moving work from taking every Timer thread: the limit, the order, and what frees a slot. */
class WorkSlotsTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void noMoreThanTheSlotsRunAtOnce() throws Exception {
        WorkSlots slots = new WorkSlots(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            int n = i;
            slots.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                    all.countDown();
                }
            }, pool);
        }
        awaitTrue(() -> slots.busy() == 2 && order.size() == 2);
        assertEquals(4, slots.waiting(), "the pool has 8 threads, but only 2 pieces may run");
        assertEquals(java.util.Set.of(0, 1), java.util.Set.copyOf(order), "the first two came first");
        release.countDown();
        assertTrue(all.await(10, TimeUnit.SECONDS));
        assertEquals(6, order.size());
        assertEquals(2, most.get());
        awaitTrue(() -> slots.busy() == 0);
        assertEquals(4, slots.mostWaiting());
    }

    @Test
    void waitingPiecesRunInTheOrderTheyCame() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            int n = i;
            slots.submit(() -> {
                order.add(n);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    all.countDown();
                }
            }, pool);
        }
        release.countDown();
        assertTrue(all.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
    }

    @Test
    void aPieceThatThrowsFreesItsSlot() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        slots.submit(() -> {
            throw new IllegalStateException("a defect in a piece");
        }, pool);
        CountDownLatch ran = new CountDownLatch(1);
        slots.submit(ran::countDown, pool);
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the next piece got the slot");
        awaitTrue(() -> slots.busy() == 0);
    }

    @Test
    void aRefusingExecutorKeepsNoSlot() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        assertThrows(RejectedExecutionException.class, () -> slots.submit(() -> {}, stopped));
        assertEquals(0, slots.busy());
        CountDownLatch ran = new CountDownLatch(1);
        slots.submit(ran::countDown, pool);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
    }

    @Test
    void waitingWorkThatItsExecutorRefusesIsDroppedAndTheSlotGoesOn() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        slots.submit(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, pool);
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown(); // as the Timer once Jenkins stops
        slots.submit(() -> {}, stopped);
        CountDownLatch ran = new CountDownLatch(1);
        slots.submit(ran::countDown, pool);
        assertEquals(2, slots.waiting());
        release.countDown();
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the piece after the refused one ran");
        awaitTrue(() -> slots.busy() == 0 && slots.waiting() == 0);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
