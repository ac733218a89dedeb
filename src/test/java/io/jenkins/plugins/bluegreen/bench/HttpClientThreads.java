package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.SelectorThreads;
import io.jenkins.plugins.bluegreen.testinfra.AlertmanagerProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST CODE, a benchmark: the threads that N concurrent step executions' Prometheus and Alertmanager clients create,
 * with a JDK HttpClient per client (as the steps built them before) and with the plugin's one {@link HttpTransport}.
 * Each execution keeps its two clients, as a running step does, and all make their requests at once against a real
 * Prometheus and Alertmanager (a query and a status call to Prometheus, a status call to Alertmanager). Builders as
 * Jenkins makes them (its {@code ProxyConfiguration} gives every client one shared executor) and as the bare JDK does
 * (an executor per client, as in the Central build). Figures are printed, never asserted on: the smoke test checks the
 * counting at a small scale. Run with {@code -Plab -Dlab.main=io.jenkins.plugins.bluegreen.bench.HttpClientThreads
 * -Dlab.args=50}.
 */
public final class HttpClientThreads {

    /** What one configuration created: the clients' selector threads and their workers. */
    record Figures(String builder, String clients, int executions, int httpClients, int selectors, int workers) {
        int threads() {
            return selectors + workers;
        }
    }

    private HttpClientThreads() {}

    public static void main(String[] argv) throws Exception {
        int n = argv.length == 0 ? 50 : Integer.parseInt(argv[0]);
        Path dir = Files.createTempDirectory("http-client-threads");
        try (PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus"), List.of(), Duration.ofSeconds(1));
                AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir)) {
            List<Figures> all = new ArrayList<>();
            for (boolean jenkinsExecutor : new boolean[] {true, false}) {
                for (boolean shared : new boolean[] {false, true}) {
                    all.add(measure(n, shared, jenkinsExecutor, prometheus.url(), alertmanager.url()));
                }
            }
            System.out.println("| builder | clients | executions | JDK HttpClients | selector threads | worker threads | threads |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Figures f : all) {
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d |%n", f.builder(), f.clients(), f.executions(),
                        f.httpClients(), f.selectors(), f.workers(), f.threads());
            }
        }
    }

    /**
     * Runs {@code n} executions at once and counts the threads their clients created, then drops everything and waits
     * for the selector threads to end (so that the next measurement starts clean).
     *
     * @param shared one transport for all (after), or one per client (before)
     * @param jenkinsExecutor one executor for every client, as Jenkins' builder sets; else the JDK's own per client
     */
    static Figures measure(int n, boolean shared, boolean jenkinsExecutor, URI prometheus, URI alertmanager) throws Exception {
        AtomicInteger workerIds = new AtomicInteger();
        ExecutorService jenkinsPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-jenkins-httpclient-" + workerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpTransport one = HttpTransport.of(builder(jenkinsExecutor, jenkinsPool));
        List<HttpTransport> transports = new ArrayList<>();
        List<Object[]> executions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpTransport forPrometheus = shared ? one : HttpTransport.of(builder(jenkinsExecutor, jenkinsPool));
            HttpTransport forAlertmanager = shared ? one : HttpTransport.of(builder(jenkinsExecutor, jenkinsPool));
            transports.add(forPrometheus);
            transports.add(forAlertmanager);
            executions.add(new Object[] {
                new PrometheusClient(new PrometheusEndpoint(prometheus, null, Duration.ofSeconds(10)), forPrometheus),
                new AlertmanagerClient(new AlertmanagerEndpoint(alertmanager, null, Duration.ofSeconds(10)), forAlertmanager)});
        }
        ExecutorService steps = Executors.newFixedThreadPool(n, r -> new Thread(r, "bench-step-" + r.hashCode()));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (Object[] e : executions) {
            done.add(steps.submit(() -> {
                go.await();
                PrometheusClient p = (PrometheusClient) e[0];
                p.checkConnection();
                p.instantQuery("up", Instant.now());
                ((AlertmanagerClient) e[1]).checkConnection();
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        Set<String> selectors = new LinkedHashSet<>();
        Set<String> workerPrefixes = new LinkedHashSet<>();
        for (HttpTransport t : transports) {
            String selector = SelectorThreads.of(t);
            selectors.add(selector);
            workerPrefixes.add(selector.replace("-SelectorManager", "-Worker-"));
        }
        int liveSelectors = (int) selectors.stream().filter(SelectorThreads::alive).count();
        int workers = (int) Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("bench-jenkins-httpclient-") || workerPrefixes.stream().anyMatch(name::startsWith))
                .count();
        Figures figures = new Figures(jenkinsExecutor ? "as Jenkins (one executor)" : "bare JDK (executor per client)",
                shared ? "one shared (after)" : "one per client (before)", n, selectors.size(), liveSelectors, workers);

        steps.shutdownNow();
        transports.forEach(HttpTransport::close);
        transports.clear();
        executions.clear();
        jenkinsPool.shutdownNow();
        for (String s : selectors) {
            SelectorThreads.awaitEnded(s);
        }
        return figures;
    }

    private static HttpClient.Builder builder(boolean jenkinsExecutor, ExecutorService jenkinsPool) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20));
        return jenkinsExecutor ? b.executor(jenkinsPool) : b;
    }
}
