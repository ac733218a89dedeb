package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;

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
 * stays once the rollouts end.
 */
final class SharedPoolHttpClientFactory extends OkHttpClientFactory {

    static final String THREAD_PREFIX = "blue-green-kubernetes-http-";
    static final long IDLE_SECONDS = 10;
    static final SharedPoolHttpClientFactory INSTANCE = new SharedPoolHttpClientFactory();

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory NEW_THREAD = task -> {
        Thread t = new Thread(task, THREAD_PREFIX + THREADS.incrementAndGet());
        t.setDaemon(true);
        // not the context class loader of whichever caller happened to need a new thread
        t.setContextClassLoader(SharedPoolHttpClientFactory.class.getClassLoader());
        return t;
    };
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
            new SynchronousQueue<>(), NEW_THREAD);

    private SharedPoolHttpClientFactory() {
    }

    /** As fabric8's (no limit on requests, in all or per host, which long-running requests would exhaust), on the pool. */
    @Override
    protected Dispatcher initDispatcher() {
        Dispatcher dispatcher = new Dispatcher(new ExecutorView(POOL));
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        return dispatcher;
    }

    /** Threads of the pool alive now (busy or idle); for tests. */
    static int poolThreads() {
        return POOL.getPoolSize();
    }

    /** How long an idle thread of the pool lives; for tests. */
    static Duration idleTime() {
        return Duration.ofNanos(POOL.getKeepAliveTime(TimeUnit.NANOSECONDS));
    }

    /** For tests, which wait for idle threads to end. */
    static void idleTime(Duration idle) {
        POOL.setKeepAliveTime(idle.toNanos(), TimeUnit.NANOSECONDS);
    }
}
