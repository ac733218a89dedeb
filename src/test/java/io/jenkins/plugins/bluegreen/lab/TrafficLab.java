package io.jenkins.plugins.bluegreen.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.metrics.Sample;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PostgresExporterProcess;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import io.jenkins.plugins.bluegreen.traffic.TrafficRouters;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * TEST CODE: the traffic lab. Everything real except Kubernetes:
 * <ul>
 *   <li>PostgreSQL ({@code max_connections} configurable) and postgres_exporter;</li>
 *   <li>per colour a {@link LabApp} with a HikariCP pool to that PostgreSQL and metrics from the Prometheus
 *       Java client;</li>
 *   <li>Prometheus scraping both apps and the exporter every second;</li>
 *   <li>the Kubernetes side as an {@link EngineLab}: mock API server, simulated control plane and an Istio
 *       VirtualService, with engines on the real clock;</li>
 *   <li>a {@link LoadGenerator} splitting its requests by the VirtualService's weights.</li>
 * </ul>
 * Start it once per test class (Prometheus' first scrape alone takes about 5 s), then give each test a
 * {@link #newRollout() fresh rollout}: a new namespace and new app instances whose {@code namespace} label is that
 * namespace. Their series are new, so no rate window carries the previous test's faults into the next one, and the
 * apps keep their metrics ports, so Prometheus' static scrape targets stay valid.
 *
 * <p>Every server listens on 127.0.0.1 on a port chosen at start; processes are stopped by PID in {@link #close},
 * which also runs when start-up fails half-way. Labs share no state, so several can run at once in one JVM
 * (ProductionScrapeTest runs one per scrape interval).
 */
public final class TrafficLab implements AutoCloseable {

    public static final String SERVICE = EngineLab.SERVICE;
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FIRST_DATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(15);

    /**
     * How the lab is sized.
     *
     * @param maxConnections PostgreSQL's {@code max_connections}
     * @param poolSize HikariCP pool size of each app instance
     * @param requestsPerSecond total load, split between the colours
     * @param loadDuration how long the load runs at most
     * @param scrapeInterval how often Prometheus scrapes: 1 s in the lab, 15 to 60 s in production
     */
    public record Options(int maxConnections, int poolSize, int requestsPerSecond, Duration loadDuration,
                          Duration scrapeInterval) {
        public static Options defaults() {
            return new Options(100, 4, 100, Duration.ofMinutes(10), SCRAPE_INTERVAL);
        }

        public Options withMaxConnections(int value) {
            return new Options(value, poolSize, requestsPerSecond, loadDuration, scrapeInterval);
        }

        /** How long the load generator runs at most (it stops by itself, so a forgotten lab goes quiet). */
        public Options withLoadDuration(Duration value) {
            return new Options(maxConnections, poolSize, requestsPerSecond, value, scrapeInterval);
        }

        /** A production-like scrape interval; data then takes a scrape or two to appear, and waits grow with it. */
        public Options withScrapeInterval(Duration value) {
            return new Options(maxConnections, poolSize, requestsPerSecond, loadDuration, value);
        }
    }

    private final Options options;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>(); // closed in reverse order
    private PostgresProcess postgres;
    private PostgresExporterProcess exporter;
    private PrometheusProcess prometheus;
    private PrometheusClient prometheusClient;
    private MockCluster mock;
    private LoadGenerator load;
    private KubernetesClient loadClient;
    private final Map<Color, Integer> metricsPorts = new EnumMap<>(Color.class);
    private final Map<Color, LabApp> apps = new EnumMap<>(Color.class);
    private EngineLab engineLab;

    private TrafficLab(Options options) {
        this.options = options;
    }

    /** Starts every component and waits until Prometheus has scraped the database and both apps. */
    public static TrafficLab start(Path workDir, Options options) {
        TrafficLab lab = new TrafficLab(options);
        try {
            lab.startAll(workDir);
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void startAll(Path workDir) {
        postgres = track(PostgresProcess.start(options.maxConnections(), 3));
        exporter = track(PostgresExporterProcess.start(postgres, workDir));
        mock = track(MockCluster.start());
        loadClient = track(mock.server.createClient(b -> b.editOrNewConfig()
                .withRequestTimeout(2_000).withConnectionTimeout(2_000).withRequestRetryBackoffLimit(0).endConfig()));
        load = track(LoadGenerator.start(options.requestsPerSecond(), 200, options.loadDuration()));
        startApps(); // before Prometheus: its targets are the apps' metrics ports
        prometheus = track(PrometheusProcess.start(workDir, List.of(apps.get(Color.BLUE).metricsTarget(),
                apps.get(Color.GREEN).metricsTarget(), exporter.target()), options.scrapeInterval()));
        prometheusClient = new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));
        awaitQuery("pg_up == 1", "postgres_exporter's pg_up", FIRST_DATA_TIMEOUT.plus(options.scrapeInterval()));
        awaitAppSeries(FIRST_DATA_TIMEOUT.plus(options.scrapeInterval()));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Starts a new rollout scenario: a fresh namespace with blue and green apps (new instances, faults off, the
     * previous ones' held connections released) and the load following its VirtualService. Returns the Kubernetes
     * side, with engines on the real clock; nothing is deployed yet.
     */
    public EngineLab newRollout() {
        startApps();
        Duration timeout = DATA_TIMEOUT.plus(options.scrapeInterval().multipliedBy(2));
        awaitAppSeries(timeout);
        // the previous scenario's leaked connections must be gone from the exporter's view before gates look at them
        awaitQuery(DB_RATIO + " < 0.8", "the connection ratio below 0.8", timeout);
        return engineLab;
    }

    /**
     * The three built-in gates for {@code color}, as a Pipeline configures them, with lab-sized windows: the error
     * rate and latency templates' rate window shortened to {@code rateWindow}, sustained for {@code sustain}, and all
     * three evaluated every {@code interval}. The PromQL and thresholds are the templates' own.
     */
    public static List<Gate> gates(RolloutTarget target, Color color, Duration rateWindow, Duration sustain, Duration interval) {
        return List.of(
                labSized(GateTemplate.ERROR_RATE.gate(target, color), rateWindow, sustain, interval),
                labSized(GateTemplate.P95_LATENCY.gate(target, color), rateWindow, sustain, interval),
                // no rate window, no sustain: the guide rolls back as soon as connections reach 90 %
                GateTemplate.DB_CONNECTION_RATIO.gate(target, color).withInterval(interval));
    }

    /** A template gate with its 1-minute rate window, sustain and interval shortened for the lab. */
    public static Gate labSized(Gate template, Duration rateWindow, Duration sustain, Duration interval) {
        if (!template.query().contains("[1m]")) {
            throw new IllegalArgumentException("no 1-minute rate window in " + template.query());
        }
        return new Gate(template.name(), template.query().replace("[1m]", "[" + rateWindow.toSeconds() + "s]"),
                template.comparison(), template.threshold(), template.warningThreshold(), sustain, interval,
                template.onNoData(), template.onError(), template.inconclusiveLimit());
    }

    static final String DB_RATIO =
            "max(sum by (instance) (pg_stat_database_numbackends) / max by (instance) (pg_settings_max_connections))";

    private void startApps() {
        if (engineLab != null) {
            engineLab.close();
        }
        for (LabApp app : apps.values()) {
            app.close();
        }
        apps.clear();
        engineLab = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, Clock.systemUTC());
        for (Color color : Color.values()) {
            LabApp app = LabApp.start(engineLab.namespace, SERVICE, color, postgres.jdbcUrl(), PostgresProcess.USER,
                    options.poolSize(), metricsPorts.getOrDefault(color, 0));
            apps.put(color, app);
            metricsPorts.put(color, app.metricsPort());
        }
        Map<Color, URI> urls = new EnumMap<>(Color.class);
        apps.forEach((c, a) -> urls.put(c, a.url()));
        load.follow(urls, TrafficRouters.create(loadClient, engineLab.namespace, engineLab.router));
    }

    /** Both apps of the current namespace are in Prometheus (their series are created at start, so no traffic is needed). */
    private void awaitAppSeries(Duration timeout) {
        String ns = engineLab.namespace;
        awaitQuery("count(count by (color) (http_requests_total{namespace=\"" + ns + "\",service=\"" + SERVICE
                + "\"})) == 2", "both apps' series in namespace " + ns, timeout);
    }

    /** Waits until Prometheus has received requests to {@code color} in the current namespace. */
    public void awaitTraffic(Color color, Duration timeout) {
        awaitQuery("sum(rate(" + requests(color, "") + "[10s])) > 0", color + " receiving requests", timeout);
    }

    /** The selector of the current namespace's request counter for one colour, e.g. with {@code ,code="500"}. */
    public String requests(Color color, String moreMatchers) {
        return "http_requests_total{namespace=\"" + engineLab.namespace + "\",service=\"" + SERVICE + "\",color=\""
                + color.label() + "\"" + moreMatchers + "}";
    }

    private void awaitQuery(String promql, String what, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            try {
                if (query(promql).isPresent()) {
                    return;
                }
                last = "no result";
            } catch (PrometheusException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("Prometheus (" + prometheus.url() + ") did not show " + what + " within "
                        + timeout.toSeconds() + " s (" + last + "; " + load + ")");
            }
            sleep(200);
        }
    }

    /** The first value of an instant query now; empty when it returns nothing. */
    public OptionalDouble query(String promql) throws PrometheusException {
        try {
            List<Sample> samples = prometheusClient.instantQuery(promql, Instant.now());
            return samples.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(samples.get(0).value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Makes {@code color} hold extra connections until PostgreSQL has about {@code ratio} of {@code max_connections}
     * in use (counted by PostgreSQL itself), and returns how many it holds.
     */
    public int holdConnectionsUntil(Color color, double ratio) throws SQLException {
        int wanted = (int) Math.ceil(ratio * postgres.maxConnections());
        int inUse = postgres.clientBackends();
        int extra = wanted - inUse;
        if (extra <= 0 || wanted >= postgres.maxConnections()) {
            throw new IllegalStateException("cannot reach " + wanted + " of " + postgres.maxConnections()
                    + " connections from " + inUse + " in use");
        }
        app(color).holdConnections(extra);
        return extra;
    }

    public LabApp app(Color color) {
        return apps.get(color);
    }

    public LoadGenerator load() {
        return load;
    }

    public PostgresProcess postgres() {
        return postgres;
    }

    public PrometheusClient prometheus() {
        return prometheusClient;
    }

    public PrometheusProcess prometheusProcess() {
        return prometheus;
    }

    /** Stops Prometheus (by PID) while everything else keeps running: the analysis loses its provider. */
    public void stopPrometheus() {
        prometheus.close();
    }

    /** Requests each app has answered so far, for measuring the split over an interval. */
    public Map<Color, Long> served() {
        Map<Color, Long> out = new EnumMap<>(Color.class);
        apps.forEach((c, a) -> out.put(c, a.served()));
        return out;
    }

    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        // apps and the engine lab first: they hold connections and clients on what follows
        if (engineLab != null) {
            run(problems, engineLab::close);
        }
        for (LabApp app : apps.values()) {
            run(problems, app::close);
        }
        apps.clear();
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            run(problems, r::close);
        }
        if (!problems.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the traffic lab failed");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void run(List<Throwable> problems, Action action) {
        try {
            action.run();
        } catch (Exception | Error e) {
            problems.add(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
