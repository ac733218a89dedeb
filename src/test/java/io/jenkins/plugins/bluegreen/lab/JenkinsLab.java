package io.jenkins.plugins.bluegreen.lab;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.kubernetes.SimulatedControlPlane;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PostgresExporterProcess;
import io.jenkins.plugins.bluegreen.testinfra.PostgresProcess;
import io.jenkins.plugins.bluegreen.testinfra.Processes;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import io.jenkins.plugins.bluegreen.traffic.TrafficRouters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * TEST CODE: the traffic lab for a real Jenkins on the same machine ({@code scripts/lab.sh}). The demo's parts, kept
 * running: PostgreSQL and postgres_exporter, per served example service ({@link LabExamples#SERVED}) a blue and a
 * green {@link LabApp} and a {@link LoadGenerator} following the service's router, Prometheus scraping all of it,
 * and the mock API server with the simulated control plane, holding the examples' own objects in one namespace and
 * blue 1.0.0 of each service live. The API server and Prometheus listen on fixed ports, so that Jenkins'
 * configuration stays valid across restarts; everything else on ports the kernel picks. The colours' apps follow
 * their Deployments ({@link DeploymentFollower}): Jenkins changes the lab through the API server only.
 */
public final class JenkinsLab implements AutoCloseable {

    /**
     * How the lab is set up.
     *
     * @param apiPort the API server's port on 127.0.0.1 (0: any)
     * @param prometheusPort Prometheus' port on 127.0.0.1 (0: any)
     * @param namespace where the services live
     * @param maxConnections PostgreSQL's {@code max_connections}
     * @param poolSize each app's connection pool
     * @param requestsPerSecond the load per service
     * @param readyDelay how long a Deployment's pods take to become ready
     * @param examples the repository's {@code examples/} directory
     */
    public record Settings(int apiPort, int prometheusPort, String namespace, int maxConnections, int poolSize,
            int requestsPerSecond, Duration readyDelay, Path examples) {
    }

    static final String FIRST_VERSION = "1.0.0";
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    /** The load stops by itself after this, so that a forgotten lab goes quiet. */
    static final Duration LOAD_LIMIT = Duration.ofHours(24);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String OWNER = "blue-green lab: first rollout";

    private final Settings settings;
    private final Consumer<String> log;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>(); // closed in reverse order
    private final CountDownLatch startEnded = new CountDownLatch(1);
    private volatile boolean starting;
    private volatile boolean closing;
    private final Map<String, Map<Color, LabApp>> apps = new LinkedHashMap<>();
    private final Map<String, LoadGenerator> loads = new LinkedHashMap<>();
    private Path workDir;
    private PostgresProcess postgres;
    private MockCluster mock;
    private PrometheusProcess prometheus;
    private PrometheusClient prometheusClient;

    /** A lab not started yet: {@link #start()} it, after arranging for {@link #close()} on Ctrl-C if need be. */
    public JenkinsLab(Settings settings, Consumer<String> log) {
        if (!KubernetesNames.isNamespace(settings.namespace())) {
            throw new IllegalArgumentException("the namespace '" + settings.namespace() + "' is not a valid namespace name");
        }
        this.settings = settings;
        this.log = log;
    }

    /** Starts a lab and waits until Prometheus sees blue of every service serving its load. */
    public static JenkinsLab start(Settings settings, Consumer<String> log) {
        JenkinsLab lab = new JenkinsLab(settings, log);
        lab.start();
        return lab;
    }

    /** Starts everything and waits until Prometheus sees blue of every service serving its load. */
    public void start() {
        starting = true;
        try {
            startAll();
        } catch (RuntimeException | Error e) {
            closeAfter(e);
            throw e;
        } catch (IOException e) {
            closeAfter(e);
            throw new UncheckedIOException(e);
        } finally {
            startEnded.countDown();
        }
    }

    private void closeAfter(Throwable failure) {
        try {
            closeResources();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void startAll() throws IOException {
        requireFree(settings.apiPort(), "the API server");
        requireFree(settings.prometheusPort(), "Prometheus");
        workDir = Files.createTempDirectory("bluegreen-lab-");
        postgres = track(PostgresProcess.start(settings.maxConnections(), 3));
        PostgresExporterProcess exporter = track(PostgresExporterProcess.start(postgres, workDir));
        mock = track(MockCluster.start(settings.apiPort()));
        KubernetesClient client = mock.client;
        String ns = settings.namespace();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        track(new SimulatedControlPlane(client, ns, settings.readyDelay()));

        List<String> targets = new ArrayList<>();
        List<DeploymentFollower.Service> services = new ArrayList<>();
        for (LabExamples.Served s : LabExamples.SERVED) {
            LabExamples.applyObjects(client, ns, settings.examples(), s);
            Map<Color, LabApp> colours = new EnumMap<>(Color.class);
            for (Color c : Color.values()) {
                LabApp app = track(LabApp.start(ns, s.service(), c, postgres.jdbcUrl(), PostgresProcess.USER, settings.poolSize(), 0));
                colours.put(c, app);
                targets.add(app.metricsTarget());
                // the pods of this colour, whichever the simulated control plane creates, are played by this app
                mock.pods.register(ns, Map.of("app", s.service(), Workloads.COLOR_LABEL, c.label()), app.url());
            }
            apps.put(s.service(), colours);
            LoadGenerator load = track(LoadGenerator.start(settings.requestsPerSecond(), 200, LOAD_LIMIT));
            KubernetesClient loadClient = track(mock.server.createClient(b -> b.editOrNewConfig()
                    .withRequestTimeout(2_000).withConnectionTimeout(2_000).withRequestRetryBackoffLimit(0).endConfig()));
            load.follow(Map.of(), TrafficRouters.create(loadClient, ns, s.routerSpec()));
            loads.put(s.service(), load);
            services.add(new DeploymentFollower.Service(s.service(), colours, load));
        }
        targets.add(exporter.target());
        track(new DeploymentFollower(client, ns, services, postgres, log));
        prometheus = track(PrometheusProcess.start(workDir, targets, SCRAPE_INTERVAL, settings.prometheusPort()));
        prometheusClient = new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, Duration.ofSeconds(5)),
                HttpTransport.of(HttpClient.newBuilder()));

        for (LabExamples.Served s : LabExamples.SERVED) {
            firstRollout(s);
        }
        for (LabExamples.Served s : LabExamples.SERVED) {
            awaitQuery("sum(rate(" + requests(s.service(), Color.BLUE, "") + "[10s])) > 0", s.service() + "-blue serving its load");
        }
        awaitQuery("pg_up == 1", "postgres_exporter's pg_up");
    }

    /** Blue of the example's service goes live from the example's own manifest, as its first build would deploy it. */
    private void firstRollout(LabExamples.Served s) throws IOException {
        KubernetesClient client = track(mock.server.createClient(b -> b.withHttpClientFactory(KubernetesClients.httpClientFactory())
                .editOrNewConfig().withRequestTimeout(10_000).withRequestRetryBackoffLimit(0).endConfig()));
        Clock clock = Clock.systemUTC();
        RolloutEngine engine = new RolloutEngine(new FabricCluster(client, clock, Duration.ofSeconds(30)), clock,
                RolloutListener.NONE, EngineSettings.DEFAULTS);
        engine.deploy(new DeploySpec(new RolloutTarget(settings.namespace(), s.service()),
                new CandidateSource.Manifest(LabExamples.manifest(settings.examples(), s, FIRST_VERSION)), s.routerSpec(), null,
                Duration.ofSeconds(60), OWNER));
    }

    /** Fails at once, before anything starts, when a fixed port is taken (a lab already running?). */
    private static void requireFree(int port, String what) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free: closed again at once
        } catch (IOException e) {
            throw new IllegalStateException("127.0.0.1:" + port + " for " + what + " is in use (another lab?): choose another port", e);
        }
    }

    /** Closed in reverse order; once the lab is stopping, closed at once (a Ctrl-C during the start). */
    private <T extends AutoCloseable> T track(T resource) {
        synchronized (resources) {
            if (!closing) {
                resources.push(resource);
                return resource;
            }
        }
        try {
            resource.close();
        } catch (Exception e) {
            // stopping anyway
        }
        throw new IllegalStateException("the lab is stopping");
    }

    /** The selector of one colour's request counter, e.g. with {@code ,code=~"5.."}. */
    public String requests(String service, Color color, String moreMatchers) {
        return "http_requests_total{namespace=\"" + settings.namespace() + "\",service=\"" + service + "\",color=\""
                + color.label() + "\"" + moreMatchers + "}";
    }

    private void awaitQuery(String promql, String what) {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < end) {
            try {
                if (!prometheusClient.instantQuery(promql, Instant.now()).isEmpty()) {
                    return;
                }
                last = "no result";
            } catch (PrometheusException e) {
                last = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Processes.sleep(250);
        }
        throw new IllegalStateException("Prometheus (" + prometheus.url() + ") did not show " + what + " within "
                + START_TIMEOUT.toSeconds() + " s (" + last + ")");
    }

    public URI apiServer() {
        return URI.create("http://127.0.0.1:" + mock.server.getPort()); // the mock's own URL says localhost
    }

    public URI prometheusUrl() {
        return prometheus.url();
    }

    public String namespace() {
        return settings.namespace();
    }

    public PostgresProcess postgres() {
        return postgres;
    }

    public PrometheusClient prometheus() {
        return prometheusClient;
    }

    public MockCluster cluster() {
        return mock;
    }

    public LabApp app(String service, Color color) {
        return apps.get(service).get(color);
    }

    public LoadGenerator load(String service) {
        return loads.get(service);
    }

    /**
     * Stops everything the lab started (by PID for the processes). From another thread while the lab starts (Ctrl-C),
     * it lets the start end first, so that no process is left behind.
     */
    @Override
    public void close() {
        closing = true;
        if (starting) {
            try {
                if (!startEnded.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    log.accept("the start did not end within " + START_TIMEOUT.toSeconds() + " s; stopping what has started");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeResources();
    }

    private void closeResources() {
        closing = true;
        List<Throwable> problems = new ArrayList<>();
        while (true) {
            AutoCloseable r;
            synchronized (resources) {
                if (resources.isEmpty()) {
                    break;
                }
                r = resources.pop();
            }
            try {
                r.close();
            } catch (Exception | Error e) {
                problems.add(e);
            }
        }
        if (workDir != null && Files.isDirectory(workDir)) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            IllegalStateException e = new IllegalStateException("stopping the lab failed");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }
}
