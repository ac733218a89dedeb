package io.jenkins.plugins.bluegreen.bench;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST CODE: the stand-in for {@code jenkins.util.Timer}: a scheduled pool with a fixed, small number of threads,
 * named {@value #PREFIX}N so that the thread census can tell them apart.
 */
final class BenchTimer {

    static final String PREFIX = "bench-timer-";
    private static final AtomicInteger IDS = new AtomicInteger();

    private BenchTimer() {
    }

    static ScheduledExecutorService start(int threads) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, PREFIX + IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.prestartAllCoreThreads();
        return pool;
    }

    static void stop(ScheduledExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
