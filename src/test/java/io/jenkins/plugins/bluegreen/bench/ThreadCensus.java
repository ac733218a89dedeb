package io.jenkins.plugins.bluegreen.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST CODE: the live threads of this JVM grouped by what they are for (told by their names), and their CPU time.
 * Threads may die between two looks, so {@link #look} is called often and each thread's CPU time is kept as last
 * seen. Groups: engine-pool (the scheduler standing in for jenkins.util.Timer), jenkins-timer (the real one, on the
 * steps' path), engine-lease (the engine's lease
 * renewal thread), k8s-client-http (the plugin's one pool for every Kubernetes client's requests, and any OkHttp
 * Dispatcher's thread: OkHttp renames a thread to "OkHttp &lt;url&gt;" while it runs a call), okhttp (OkHttp's own JVM-wide
 * threads, shared by all of Jenkins: TaskRunner, Okio Watchdog), k8s-client-io (Vert.x threads: the mock API server's
 * when it runs in this JVM; no client of the plugin's runs on Vert.x), k8s-client-exec (fabric8's executors), prom-client-io (the
 * JDK HttpClient of the Prometheus client), simulation (the mock API server when it runs in this JVM), harness (the
 * benchmark's own), jvm-other (everything else: JVM, Maven).
 */
final class ThreadCensus {

    static final String SCHEDULER = "engine-pool";
    static final String LEASES = "engine-lease";
    static final String VERTX = "k8s-client-io";
    static final String K8S_HTTP = "k8s-client-http";
    static final String OKHTTP = "okhttp";
    static final String JDK_HTTP = "prom-client-io";
    static final String FABRIC8 = "k8s-client-exec";
    static final String SIMULATION = "simulation";
    static final String BENCH = "harness";
    static final String OTHER = "jvm-other";

    /** The threads of jenkins.util.Timer (and of its Central declaration), "jenkins.util.Timer [#N]": the steps' scheduler. */
    static final String JENKINS_TIMER = "jenkins-timer";
    private static final java.util.Set<String> NOT_PLUGIN = java.util.Set.of(SCHEDULER, JENKINS_TIMER, SIMULATION, BENCH);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Thread id to {group, CPU nanos at the last look}. */
    private final Map<Long, Object[]> seen = new ConcurrentHashMap<>();
    private final Map<Long, Long> baseline = new ConcurrentHashMap<>();

    static String group(String name) {
        if (name.startsWith(BenchTimer.PREFIX)) {
            return SCHEDULER;
        }
        if (name.startsWith("jenkins.util.Timer")) {
            return JENKINS_TIMER;
        }
        if (name.equals("blue-green lease renewal")) {
            return LEASES;
        }
        if (name.startsWith("blue-green-kubernetes-http-") || name.startsWith("OkHttp http") || name.startsWith("OkHttp Dispatcher")) {
            return K8S_HTTP;
        }
        if (name.startsWith("OkHttp ") || name.equals("Okio Watchdog")) {
            return OKHTTP;
        }
        if (name.startsWith("vert.x-") || name.startsWith("vertx-")) {
            return VERTX;
        }
        if (name.startsWith("HttpClient-")) {
            return JDK_HTTP;
        }
        // fabric8's executors are named after the owning object, e.g. "-1834-pool-7-thread-1"
        if (name.matches(".*-\\d+-pool-\\d+-thread-\\d+") || name.startsWith("CachedSingleThreadScheduler")
                || name.contains("Informer") || name.contains("-informer")) {
            return FABRIC8;
        }
        if (name.startsWith("simulated-") || name.startsWith("MockWebServer")) {
            return SIMULATION;
        }
        if (name.startsWith("bench-")) {
            return BENCH;
        }
        return OTHER;
    }

    /** Live threads per group now; also records their CPU time. */
    Map<String, Integer> look() {
        Map<String, Integer> counts = new TreeMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            String g = group(infos[i].getThreadName());
            counts.merge(g, 1, Integer::sum);
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu >= 0) {
                seen.put(ids[i], new Object[] {g, cpu});
            }
        }
        return counts;
    }

    /** From now on CPU time is counted from here: threads alive now start from their current CPU time. */
    void startCounting() {
        look();
        baseline.clear();
        seen.forEach((id, v) -> baseline.put(id, (Long) v[1]));
    }

    /** CPU seconds per group since {@link #startCounting}, as of the last look. */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> out = new TreeMap<>();
        seen.forEach((id, v) -> {
            double s = ((Long) v[1] - baseline.getOrDefault(id, 0L)) / 1e9;
            if (s > 0) {
                out.merge((String) v[0], s, Double::sum);
            }
        });
        return out;
    }

    /** Threads of groups the plugin's code may start: everything but the scheduler, the simulation and the harness. */
    static int pluginThreads(Map<String, Integer> counts) {
        int all = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!NOT_PLUGIN.contains(e.getKey())) {
                all += e.getValue();
            }
        }
        return all;
    }

    /** The names of the live threads counted by {@link #pluginThreads} (to say what was left). */
    static java.util.List<String> pluginThreadNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && !NOT_PLUGIN.contains(group(info.getThreadName()))) {
                names.add(info.getThreadName());
            }
        }
        return names;
    }

    /** Live threads by id, with their names, in the groups {@link #pluginThreads} counts. */
    static Map<Long, String> pluginThreadsById() {
        Map<Long, String> out = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && !NOT_PLUGIN.contains(group(info.getThreadName()))) {
                out.put(info.getThreadId(), info.getThreadName());
            }
        }
        return out;
    }

    static int live() {
        return THREADS.getThreadCount();
    }
}
