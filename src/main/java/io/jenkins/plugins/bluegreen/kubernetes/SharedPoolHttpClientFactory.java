package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * fabric8's OkHttp client with one thread pool, JVM-wide, behind every client. Jenkins runs fabric8 on OkHttp
 * (kubernetes-client-api bundles no other HTTP client), and OkHttp's {@link Dispatcher} starts a cached pool of its own
 * per client: the plugin's threads would grow with the connections the rollouts hold. The pool cannot simply be shared:
 * closing a client cancels its Dispatcher's calls and shuts its executor down ({@code OkHttpClientImpl.doClose}), so
 * each Dispatcher gets its own {@link ExecutorView} of the pool, which that close ends alone.
 *
 * <p>The pool is unbounded, starting a thread whenever none is idle: the callers bound the concurrency (fabric8's
 * blocking calls wait on these tasks from the steps' few scheduler threads), and a bounded pool could leave a task that
 * reads an answer's body queued behind the calls waiting for it. Idle threads end after {@link #IDLE_SECONDS} s, so none
 * stays once the rollouts end. And the sockets are made with Nagle's algorithm off ({@link NoDelaySockets}).
 */
final class SharedPoolHttpClientFactory extends OkHttpClientFactory {

    static final String THREAD_PREFIX = "blue-green-kubernetes-http-";
    static final long IDLE_SECONDS = 10;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory NEW_THREAD = task -> {
        Thread t = new PoolThread(task, THREAD_PREFIX + THREADS.incrementAndGet());
        t.setDaemon(true);
        // not the context class loader of whichever caller happened to need a new thread
        t.setContextClassLoader(SharedPoolHttpClientFactory.class.getClassLoader());
        return t;
    };
    private static final ThreadPoolExecutor POOL = newPool(Duration.ofSeconds(IDLE_SECONDS));
    static final SharedPoolHttpClientFactory INSTANCE = new SharedPoolHttpClientFactory(POOL);

    private final ThreadPoolExecutor pool;

    /** On {@code pool}: {@link #INSTANCE}'s is the JVM-wide one; tests make others. */
    SharedPoolHttpClientFactory(ThreadPoolExecutor pool) {
        this.pool = pool;
    }

    /** A pool as the JVM-wide one, whose idle threads end after {@code idle}. */
    static ThreadPoolExecutor newPool(Duration idle) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, idle.toNanos(), TimeUnit.NANOSECONDS, new SynchronousQueue<>(), NEW_THREAD);
    }

    /** As fabric8's (no limit on requests, in all or per host, which long-running requests would exhaust), on the pool. */
    @Override
    protected Dispatcher initDispatcher() {
        Dispatcher dispatcher = new Dispatcher(new ExecutorView(pool));
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        return dispatcher;
    }

    /** Nagle's algorithm off on the API server's connections (see {@link NoDelaySockets}). */
    @Override
    protected void additionalConfig(OkHttpClient.Builder builder) {
        builder.socketFactory(new NoDelaySockets());
    }

    /** Whether {@code t} is a thread of the pool, whatever its name now (OkHttp renames a thread while it runs a call); for tests. */
    static boolean isPoolThread(Thread t) {
        return t instanceof PoolThread;
    }

    /** A thread of the pool: its class tells it apart. */
    private static final class PoolThread extends Thread {
        PoolThread(Runnable task, String name) {
            super(task, name);
        }
    }

    /** The JVM-wide pool's settings, for tests: {core threads, idle time in seconds}. */
    static long[] poolSettings() {
        return new long[] {POOL.getCorePoolSize(), POOL.getKeepAliveTime(TimeUnit.SECONDS)};
    }
}
