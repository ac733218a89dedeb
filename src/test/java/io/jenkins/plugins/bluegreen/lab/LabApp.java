package io.jenkins.plugins.bluegreen.lab;

import io.jenkins.plugins.bluegreen.testinfra.Processes;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST CODE: one instance of the "application" for one colour, as a pod of it would be.
 * <ul>
 *   <li>{@code GET /} on 127.0.0.1 does simulated work: it borrows a connection from a real HikariCP pool to the
 *       real PostgreSQL and runs a trivial SELECT; so does {@code /recommendations}, and the other paths the
 *       examples' smoke tests call answer too ({@link #route});</li>
 *   <li>it exposes {@code http_requests_total{namespace,service,color,code}} and the classic histogram
 *       {@code http_request_duration_seconds} (same labels) through the Prometheus Java client's registry and
 *       HTTP exporter on a separate port: the label contract of {@code GateTemplate};</li>
 *   <li>fault switches, settable while it serves: error rate, added latency, connections held; and the version
 *       {@code /status} reports.</li>
 * </ul>
 * The pool keeps {@code minimumIdle = maximumPoolSize}, so its connections are really open, as in production
 * where that budget is what {@code max_connections} must hold.
 */
public final class LabApp implements AutoCloseable {

    /** Classic buckets around the gates' thresholds (P95 &gt; 1 s): 0.1, 0.25, 0.5, 1 and 2.5 s among them. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Enough for the Jenkins lab's 50 req/s to a 'slow' version (2 s each) without queueing. */
    private static final int WORKER_THREADS = 128;

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: every
        // answer then takes about 40 ms. Read once, when the JDK's HttpServer is first used in this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String namespace;
    private final String service;
    private final Color color;
    private final HikariDataSource pool;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final HttpServer server;
    private final ExecutorService workers;
    private final HTTPServer metrics;
    private final String jdbcUrl;
    private final String user;

    private volatile String version = "unknown";
    private volatile double errorRate;
    private volatile long addedLatencyMillis;
    private final AtomicLong errorSequence = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private HikariDataSource heldPool;
    private final List<Connection> held = new ArrayList<>();

    private LabApp(String namespace, String service, Color color, String jdbcUrl, String user, int poolSize, int metricsPort)
            throws IOException {
        this.namespace = namespace;
        this.service = service;
        this.color = color;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        Labels constant = Labels.of("namespace", namespace, "service", service, "color", color.label());
        requests = Counter.builder().name("http_requests_total").help("HTTP requests served")
                .constLabels(constant).labelNames("code").register(registry);
        duration = Histogram.builder().name("http_request_duration_seconds").help("HTTP request latency")
                .constLabels(constant).labelNames("code").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        // Series that exist from the start: rate() sees the first error as an increase from 0, not a new series.
        for (String code : List.of("200", "500", "503")) {
            requests.labelValues(code);
        }
        duration.labelValues("200");

        pool = newPool(service + "-" + color.label(), poolSize);
        boolean started = false;
        HTTPServer metricsServer = null;
        HttpServer httpServer = null;
        workers = Executors.newFixedThreadPool(WORKER_THREADS, daemon(service + "-" + color.label() + "-http"));
        try {
            metricsServer = bindMetrics(metricsPort);
            httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            httpServer.createContext("/", this::handle);
            httpServer.setExecutor(workers);
            httpServer.start();
            started = true;
        } finally {
            if (!started) {
                if (metricsServer != null) {
                    metricsServer.close();
                }
                workers.shutdownNow();
                pool.close();
            }
        }
        this.metrics = metricsServer;
        this.server = httpServer;
    }

    /**
     * Starts an app instance.
     *
     * @param poolSize the HikariCP pool size (all of it opened at once)
     * @param metricsPort the port for {@code /metrics}, 0 for any: a lab that restarts an app reuses the port so that
     *     Prometheus' static scrape target keeps working
     */
    public static LabApp start(String namespace, String service, Color color, String jdbcUrl, String user, int poolSize,
            int metricsPort) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        try {
            return new LabApp(namespace, service, color, jdbcUrl, user, poolSize, metricsPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + color + " app of " + service, e);
        }
    }

    private HTTPServer bindMetrics(int port) throws IOException {
        // A port just released by the previous instance may need a moment before it can be bound again.
        for (int attempt = 0; ; attempt++) {
            try {
                return HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(port).registry(registry)
                        .buildAndStart();
            } catch (BindException e) {
                if (port == 0 || attempt >= 20) {
                    throw e;
                }
                Processes.sleep(100);
            }
        }
    }

    private HikariDataSource newPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(2_000); // an exhausted pool answers 503 soon instead of hanging the load
        config.addDataSourceProperty("ApplicationName", name);
        HikariDataSource ds = new HikariDataSource(config);
        // Hikari fills up to minimumIdle in the background: wait, so that the database sees the whole pool at once
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ds.getHikariPoolMXBean().getTotalConnections() < size) {
            if (System.nanoTime() > end) {
                int open = ds.getHikariPoolMXBean().getTotalConnections();
                ds.close();
                throw new IllegalStateException("the pool " + name + " opened only " + open + " of " + size
                        + " connections to " + jdbcUrl + " within 10 s");
            }
            Processes.sleep(10);
        }
        return ds;
    }

    /** An answer, and whether it counts in the request metrics (unknown paths do not). */
    private record Reply(int code, String body, boolean counted) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        Reply reply;
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            reply = "GET".equals(exchange.getRequestMethod()) ? route(exchange.getRequestURI().getPath())
                    : new Reply(405, "", false);
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.counted()) {
            // Observed before the response is sent: when the client has its answer, the metric already counts it.
            String label = Integer.toString(reply.code());
            requests.labelValues(label).inc();
            duration.labelValues(label).observe((System.nanoTime() - start) / 1e9);
            served.incrementAndGet();
        }
        exchange.sendResponseHeaders(reply.code(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * What the app answers per path. {@code /} (the load) and {@code /recommendations} do the work and carry the
     * faults; the probes, {@code /status} and {@code /api/cart} stay fast and correct, as they often do in a version
     * whose business requests fail: the smoke tests of the examples expect them.
     */
    private Reply route(String path) {
        switch (path) {
            case "/":
                int code = work();
                return new Reply(code, color.label() + " " + code + "\n", true);
            case "/recommendations":
                int status = work();
                return new Reply(status, status == 200 ? "{\"service\":\"" + service + "\",\"color\":\"" + color.label()
                        + "\",\"items\":[\"a\",\"b\",\"c\"]}" : "{\"error\":\"internal\"}", true);
            case "/healthz":
                return new Reply(200, "ok", true);
            case "/readyz":
                return new Reply(200, "ready", true);
            case "/health/live":
                return new Reply(200, "{\"status\":\"UP\"}", true);
            case "/health":
                boolean up = databaseAnswers();
                return new Reply(up ? 200 : 503, up ? "{\"status\":\"UP\",\"database\":\"UP\"}"
                        : "{\"status\":\"DOWN\",\"database\":\"DOWN\"}", true);
            case "/status":
                return new Reply(200, "version=" + version + " color=" + color.label() + "\n", true);
            case "/api/cart":
                return new Reply(401, "{\"error\":\"authentication required\"}", true);
            default:
                return new Reply(404, "", false);
        }
    }

    /** Simulated work: the added latency, a trivial SELECT on a pooled connection, and the injected errors. */
    private int work() {
        try {
            long latency = addedLatencyMillis;
            if (latency > 0) {
                Thread.sleep(latency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
        return databaseAnswers() ? (injectError() ? 500 : 200) : 503;
    }

    private boolean databaseAnswers() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Exactly {@code errorRate} of the requests fail, spread evenly and the first one at once, so that a short rate
     * window always sees the fault (random errors could leave a 10 s window without any).
     */
    private boolean injectError() {
        double rate = errorRate;
        if (rate <= 0) {
            return false;
        }
        long k = errorSequence.getAndIncrement();
        return Math.ceil((k + 1) * rate) > Math.ceil(k * rate);
    }

    /** The fraction of requests answered 500 from now on, 0 to 1. */
    public void setErrorRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("the error rate must be from 0 to 1, got " + rate);
        }
        errorSequence.set(0);
        errorRate = rate;
    }

    /** What {@code /status} answers from now on, e.g. {@code 1.4.2}. */
    public void setVersion(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    /** Latency added to every request from now on. */
    public void setAddedLatency(Duration latency) {
        addedLatencyMillis = latency.toMillis();
    }

    /**
     * Opens a second real pool of {@code n} connections and borrows all of them without giving them back, as a
     * leak or an oversized pool would: {@code pg_stat_database_numbackends} rises by {@code n}. Replaces what was
     * held before; 0 releases everything.
     */
    public synchronized void holdConnections(int n) throws SQLException {
        releaseHeld();
        if (n <= 0) {
            return;
        }
        heldPool = newPool(service + "-" + color.label() + "-leak", n);
        for (int i = 0; i < n; i++) {
            held.add(heldPool.getConnection());
        }
    }

    public synchronized int heldConnections() {
        return held.size();
    }

    private synchronized void releaseHeld() {
        for (Connection c : held) {
            try {
                c.close();
            } catch (SQLException e) {
                // the pool is closed next anyway
            }
        }
        held.clear();
        if (heldPool != null) {
            heldPool.close();
            heldPool = null;
        }
    }

    /** Switches every fault off. */
    public void heal() throws SQLException {
        setErrorRate(0);
        setAddedLatency(Duration.ZERO);
        holdConnections(0);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public int metricsPort() {
        return metrics.getPort();
    }

    /** {@code 127.0.0.1:port} of {@code /metrics}, as a Prometheus scrape target. */
    public String metricsTarget() {
        return "127.0.0.1:" + metricsPort();
    }

    /** Requests answered so far (any status). */
    public long served() {
        return served.get();
    }

    public Color color() {
        return color;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        metrics.close();
        releaseHeld();
        pool.close();
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }


    @Override
    public String toString() {
        return service + "-" + color.label() + " (" + namespace + ") on " + url() + ", metrics on " + metricsTarget();
    }
}
