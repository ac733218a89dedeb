package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Descriptor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.notify.WebhookReceiver;
import io.jenkins.plugins.bluegreen.persistence.JenkinsXStream;
import io.jenkins.plugins.bluegreen.report.HtmlReport;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Fault;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Request;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Times;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault matrix: every phase of a rollout (pre-flight, deploy, readiness, smoke, shift, analysis, promote, bake,
 * decommission, rollback) under each fault a network between Jenkins and its servers produces (2 s latency, 429 with
 * Retry-After, 503, no answer until the client times out, a reset connection, a truncated or malformed body). Each
 * row is one {@code blueGreenDeploy} of a new image, run as Pipeline runs it (through the Central build's step
 * context), on its own namespace of the mock API server and against the real Prometheus, each reached through its own
 * {@link FaultProxy}; the fault applies to the phase's requests only. Every row then asserts:
 *
 * <ul>
 *   <li>the stable colour keeps serving: all traffic on blue after a rollback or a refusal, on green once stable,
 *       otherwise the weights the record says;
 *   <li>the record tells the truth: its phase is the step's outcome and its weights are the router's;
 *   <li>a gate that cannot be read never counts as passed: no evaluation without a value is PASS, and a rollout whose
 *       gates could not be read for a whole window is never promoted;
 *   <li>the lease is released;
 *   <li>a failed step's message names the server, the request and the fault; a step that succeeded did so within the
 *       retry bound its log states;
 *   <li>no token, password or webhook URL (each step notifies a chat webhook) is in the build log, the record, the
 *       report, the saved step state or the configuration XML.
 * </ul>
 *
 * Rows run concurrently (each has its own namespace, proxies and build). The class itself runs in the suite's one
 * same-thread sequence, not beside other classes: the test Jenkins ({@code TestJenkins.install()}) is one per JVM, and
 * another step test installing its own would swap the configuration and credentials under the rows.
 * The table (phase | fault | outcome | retries | time) and the figures are printed.
 */
class FaultMatrixTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-faults";
    private static final String PASSWORD = "pr0m-pa55w0rd-s3cr3t-faults";
    private static final List<String> SECRETS = List.of(TOKEN, PASSWORD, StepTestSupport.PROMETHEUS_TOKEN, WebhookReceiver.SECRET);
    private static final String IMAGE = "registry.example.com/shop/checkout:2.0.0";
    /** Per API request: above the 2 s latency rows, short enough that a request that never ends costs little. */
    private static final int API_TIMEOUT_SECONDS = 3;
    private static final int PROMETHEUS_TIMEOUT_SECONDS = 3;
    private static final int THREADS = Integer.getInteger("faults.threads", 12);

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    /** Each row's step announces its rollout to a chat webhook whose URL (with its secret) is a credential. */
    @RegisterExtension
    static final WebhookReceiver HOOKS = new WebhookReceiver();

    private static MockCluster mock;
    private static StepTestSupport support;
    private static TestJob job;
    private static final Map<String, Outcome> OUTCOMES = new ConcurrentHashMap<>();
    private static final List<KubernetesCluster> CLUSTERS = new ArrayList<>();
    private static final List<PrometheusServer> PROMETHEUS = new ArrayList<>();
    private static Instant began;

    // ---- the matrix --------------------------------------------------------------------------------------------

    /** Where a fault is put: which proxy, which requests, from when until when (log lines of the step). */
    enum PhaseOf {
        PREFLIGHT("pre-flight", false, Request.get(".*"), null, "phase: deploying"),
        DEPLOY("deploy", false, Request.post(".*"), "phase: deploying", "phase: applied"),
        READINESS("readiness", false, Request.get(".*/deployments/checkout-green"), "phase: applied", "ready: "),
        SMOKE("smoke", false, Request.get(".*/services/checkout-green.*/proxy/.*"), "ready: ", "smoke test GET"),
        SHIFT("shift", false, Request.put(".*/virtualservices/.*"), "checkout: shift to", "traffic now blue 0 %"),
        ANALYSIS("analysis", true, Request.any("/api/v1/query.*"), "Watching errors", "checkout: promote"),
        PROMOTE("promote", false, Request.put(".*/configmaps/checkout-bluegreen-rollout"), "checkout: promote",
                "green promoted"),
        BAKE("bake", true, Request.any("/api/v1/query.*"), "Bake time of", "checkout: decommission"),
        DECOMMISSION("decommission", false, Request.patch(".*/deployments/checkout-blue.*"), "checkout: decommission",
                "decommissioned"),
        /** Green fails its gate in the first window; the fault is on the rollback that follows. */
        ROLLBACK("rollback", false, Request.put(".*/virtualservices/.*"), "traffic now blue 50 %", "rolled back:");

        final String label;
        final boolean prometheus;
        final Request requests;
        final String from;
        final String until;

        PhaseOf(String label, boolean prometheus, Request requests, String from, String until) {
            this.label = label;
            this.prometheus = prometheus;
            this.requests = requests;
            this.from = from;
            this.until = until;
        }
    }

    /** A fault, and how long it lasts within its phase: transient faults hit a few requests, latency the whole phase. */
    enum FaultOf {
        LATENCY("latency 2 s", Fault.latency(Duration.ofSeconds(2)), null),
        TOO_MANY("429 + Retry-After: 1", Fault.tooManyRequests(1), 2),
        UNAVAILABLE("503", Fault.status(503), 2),
        HANG("hang (timeout)", Fault.hang(), 1),
        RESET("connection reset", Fault.reset(), 2),
        TRUNCATED("truncated body", Fault.truncated(), 1);

        final String label;
        final Fault fault;
        final Integer times;

        FaultOf(String label, Fault fault, Integer times) {
            this.label = label;
            this.fault = fault;
            this.times = times;
        }
    }

    /**
     * @param persistent whether the fault lasts as long as its phase (latency and Prometheus faults always do: an
     *     analysis that cannot read its gates must never promote)
     */
    record Row(PhaseOf phase, FaultOf fault, boolean persistent) {
        String name() {
            return phase.label + " × " + fault.label + (persistent && !phase.prometheus && fault != FaultOf.LATENCY ? ", throughout" : "");
        }

        Times times() {
            return persistent || phase.prometheus || fault.times == null ? Times.always() : Times.times(fault.times);
        }
    }

    /** Every phase × every fault, and a rollback whose API server never answers: it must say so loudly. */
    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (PhaseOf p : PhaseOf.values()) {
            for (FaultOf f : FaultOf.values()) {
                rows.add(new Row(p, f, false));
            }
        }
        rows.add(new Row(PhaseOf.ROLLBACK, FaultOf.HANG, true));
        return rows;
    }

    /** What a row left behind. */
    record Outcome(String outcome, String message, int retries, long millis, Long revertMillis, Throwable failure) {}

    // ---- running the rows ----------------------------------------------------------------------------------------

    @BeforeAll
    static void runTheMatrix() throws Exception {
        mock = MockCluster.start();
        support = new StepTestSupport(mock, TOKEN);
        support.jenkins.register(CredentialsProvider.class, new TestCredentialsProvider()
                .add(TestCredentials.usernamePassword("prom-basic", "grafana", PASSWORD))
                .add(TestCredentials.secretText("chat-hook", HOOKS.url("json"))));
        support.jenkins.register(Descriptor.class, new PrometheusServer.DescriptorImpl());
        job = new TestJob(support.jenkins, "checkout-faults");
        began = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> running = new ArrayList<>();
            // the long rows (latency on every request of a phase, a rollback that never gets through) first
            List<Row> ordered = new ArrayList<>(rows());
            ordered.sort(java.util.Comparator.comparing(r -> !(r.fault() == FaultOf.LATENCY || r.persistent())));
            for (Row row : ordered) {
                running.add(pool.submit(() -> OUTCOMES.put(row.name(), run(row))));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterAll
    static void printTheMatrix() throws java.io.IOException {
        long wall = Duration.between(began, Instant.now()).toMillis();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nFault matrix%n%-14s | %-30s | %-110s | %7s | %7s%n",
                "phase", "fault", "outcome", "retries", "time"));
        StringBuilder md = new StringBuilder("| phase | fault | outcome | faulted requests | time |\n|---|---|---|---|---|\n");
        int retries = 0;
        long worstRevert = -1;
        for (Row row : rows()) {
            Outcome o = OUTCOMES.get(row.name());
            if (o == null) {
                continue;
            }
            retries += o.retries();
            if (row.fault() == FaultOf.LATENCY && o.revertMillis() != null) {
                worstRevert = Math.max(worstRevert, o.revertMillis());
            }
            String fault = row.name().substring(row.phase().label.length() + 3);
            String shown = o.outcome() + (o.message() == null ? "" : ": " + o.message().replace("Blue-green deploy failed: ", ""))
                    .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT").replaceAll("at 20\\S+Z", "at TIME");
            b.append(String.format(Locale.ROOT, "%-14s | %-30s | %-110s | %7d | %5.1f s%n", row.phase().label, fault,
                    shown.length() > 110 ? shown.substring(0, 107) + "..." : shown, o.retries(), o.millis() / 1000.0));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f s |%n", row.phase().label, fault,
                    shown.replace("|", "\\|"), o.retries(), o.millis() / 1000.0));
        }
        String figures = String.format(Locale.ROOT, "rows: %d, faulted requests (retried or failed): %d, worst time to revert "
                + "under a 2 s API latency: %s, matrix wall time: %.1f s (%d rows at a time)%n", OUTCOMES.size(), retries,
                worstRevert < 0 ? "-" : worstRevert + " ms", wall / 1000.0, THREADS);
        System.out.println(b.append('\n').append(figures));
        java.nio.file.Path out = java.nio.file.Path.of(System.getProperty("report.dir", "target"), "fault-matrix.md");
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.writeString(out, md.append('\n').append(figures).toString());
        if (support != null) {
            support.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPhaseUnderEveryFaultKeepsTheStableColourServingAndTellsTheTruth() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            Outcome o = OUTCOMES.get(row.name());
            assertTrue(o != null, "the row ran");
            if (o.failure() != null) {
                throw new AssertionError(row.name() + ": " + o.failure().getMessage(), o.failure());
            }
        }));
    }

    /** What a failed row's message must name: the server, the request and the fault. */
    static List<String> expectedInMessage(Row row) {
        if (row.phase() == PhaseOf.SMOKE) {
            // the candidate's app, reached through the API server's service proxy
            return List.of("smoke test GET /healthz on checkout-green");
        }
        if (row.phase().prometheus) {
            String fault = switch (row.fault()) {
                case TOO_MANY -> "HTTP 429";
                case UNAVAILABLE -> "HTTP 503";
                case HANG, LATENCY -> "did not answer within";
                case RESET -> "the connection was";
                case TRUNCATED -> "did not answer like Prometheus";
            };
            return List.of("Prometheus", "/api/v1/query on 127.0.0.1:", fault);
        }
        if (row.fault() == FaultOf.TRUNCATED) {
            return List.of("the API server", "malformed or truncated answer"); // fabric8 does not say which request
        }
        String fault = switch (row.fault()) {
            case TOO_MANY -> "answered HTTP 429";
            case UNAVAILABLE -> "answered HTTP 503";
            case HANG, LATENCY -> "did not answer";
            case RESET -> "reset the connection";
            case TRUNCATED -> "malformed or truncated answer";
        };
        return List.of("the API server 127.0.0.1:", fault);
    }

    /** The shortest plan that reaches the phase and what follows it, so that the 61 rows fit on two cores. */
    private static void plan(BlueGreenDeployStep step, PhaseOf phase) {
        switch (phase) {
            case PREFLIGHT, DEPLOY, READINESS, SMOKE -> { } // deploy and smoke-test only: READY
            case ROLLBACK -> {
                step.setTrafficSteps(List.of(50));
                step.setAnalysisWindow("2s");
            }
            case ANALYSIS -> {
                step.setTrafficSteps(List.of(100));
                step.setAnalysisWindow("2s");
            }
            case BAKE, DECOMMISSION -> {
                step.setTrafficSteps(List.of(100));
                step.setAnalysisWindow("1s");
                step.setBakeTime(phase == PhaseOf.BAKE ? "2s" : "1s");
            }
            default -> { // shift, promote: PROMOTED
                step.setTrafficSteps(List.of(100));
                step.setAnalysisWindow("1s");
            }
        }
    }

    private static synchronized void configure(KubernetesCluster cluster, PrometheusServer prometheus) {
        CLUSTERS.add(cluster);
        PROMETHEUS.add(prometheus);
        support.config.setClusters(List.copyOf(CLUSTERS));
        support.config.setPrometheusServers(List.copyOf(PROMETHEUS));
    }

    private static Outcome run(Row row) {
        long t0 = System.nanoTime();
        EngineLab lab = support.newLab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        try (FaultProxy api = FaultProxy.on(mock.server.url("/")); FaultProxy prom = FaultProxy.on(GATES.url())) {
            lab.engine().deploy(lab.manifest("1.0.0")); // blue serves
            double green = row.phase() == PhaseOf.ROLLBACK ? 4 : 0; // above the gate's 0.5: the first window fails
            GATES.set(lab.namespace, EngineLab.SERVICE, "blue", 0);
            GATES.set(lab.namespace, EngineLab.SERVICE, "green", green);
            GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "blue", 0);
            GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, "green", green);
            mock.pods.register(lab.namespace, Map.of("app", EngineLab.SERVICE, Workloads.COLOR_LABEL, "green"),
                    COLOURS.url("green"));
            String name = "faults-" + lab.namespace;
            KubernetesCluster cluster = new KubernetesCluster(name, api.url());
            cluster.setCredentialsId("k8s-token");
            cluster.setNamespace(lab.namespace);
            cluster.setRequestTimeoutSeconds(API_TIMEOUT_SECONDS);
            PrometheusServer prometheus = new PrometheusServer(name, prom.url());
            prometheus.setCredentialsId("prom-basic");
            prometheus.setRequestTimeoutSeconds(PROMETHEUS_TIMEOUT_SECONDS);
            configure(cluster, prometheus);

            BlueGreenDeployStep step = new BlueGreenDeployStep(EngineLab.SERVICE);
            step.setCluster(name);
            step.setPrometheus(name);
            step.setGates(List.of(LiveGates.gate()));
            step.setMinEvaluations(1);
            step.setImage(IMAGE);
            step.setSmokeTests(List.of(ColourApps.healthCheck()));
            step.setReadinessTimeout("20s");
            plan(step, row.phase());
            ChatNotification chat = new ChatNotification("chat-hook");
            chat.setFormat("json");
            chat.setOn(List.of("started", "rollback", "failed"));
            step.setNotify(List.of(chat));

            TestContext context = new TestContext(job.newBuild());
            BooleanSupplier inPhase = () -> {
                String log = context.live().log();
                return (row.phase().from == null || log.contains(row.phase().from)) && !log.contains(row.phase().until);
            };
            // the rollback's own requests all slowed: the time to revert under a 2 s API latency
            Request which = row.phase() == PhaseOf.ROLLBACK && row.fault() == FaultOf.LATENCY ? Request.any(".*")
                    : row.phase().requests;
            FaultProxy.Rule rule = (row.phase().prometheus ? prom : api).fail(which.when(inPhase), row.fault().fault, row.times());
            Instant started = Instant.now();
            context.launch(step);
            String outcome;
            String message = null;
            try {
                outcome = ((RolloutResult) context.live().result.get(150, java.util.concurrent.TimeUnit.SECONDS)).getPhase();
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = "FAILED";
                message = e.getCause() instanceof AbortException ? e.getCause().getMessage() : String.valueOf(e.getCause());
            }
            long millis = Duration.between(started, Instant.now()).toMillis();
            int retries = rule.applied();
            RolloutRecord record = lab.record();
            Long revert = record.getRollback() == null ? null : record.getRollback().recoveryMillis();
            Throwable failure = null;
            try {
                check(row, lab, context, outcome, message, record, retries, millis);
            } catch (Throwable x) {
                failure = new AssertionError(x.getMessage() + "\nmessage: " + message + "\nlog:\n" + context.live().log(), x);
            }
            return new Outcome(outcome, message == null ? null : message.replace(lab.namespace, "shop"), retries,
                    (System.nanoTime() - t0) / 1_000_000, revert, failure);
        } catch (Throwable x) {
            return new Outcome("ERROR", String.valueOf(x), 0, (System.nanoTime() - t0) / 1_000_000, null, x);
        }
    }

    private static void check(Row row, EngineLab lab, TestContext context, String outcome, String message,
            RolloutRecord record, int retries, long millis) throws Exception {
        String log = context.live().log();
        assertTrue(retries > 0, "the fault was applied to " + row.phase().requests);

        // The stable colour keeps serving, and the record says what the router does.
        Weights live = lab.liveWeights();
        assertEquals(record.getWeights(), live, "the record's weights are the router's");
        if (row.persistent()) {
            // the rollback never got through: the record says so, and the step says so loudly
            assertEquals("FAILED", outcome);
            assertEquals(Phase.ROLLING_BACK, record.getPhase(), "the record says the rollback has not finished");
            assertTrue(message.contains("traffic may still be on green: "), message);
            assertTrue(log.contains("Run the rollback step."), "the log says what to do");
        } else if (!outcome.equals("FAILED")) {
            // READY: deployed with no traffic; PROMOTED: green has it all, blue kept; STABLE: blue decommissioned
            assertEquals(outcome, record.getPhase().name(), "the record's phase is the step's outcome");
            assertEquals(Weights.all(outcome.equals("READY") ? Color.BLUE : Color.GREEN), live);
        } else {
            assertTrue(Set.of(Phase.ROLLED_BACK, Phase.STABLE, Phase.PROMOTED, Phase.READY).contains(record.getPhase()),
                    "settled: " + record.getPhase());
            if (record.getPhase() == Phase.ROLLED_BACK || record.getPhase() == Phase.STABLE && !IMAGE.equals(record.getStable().image())) {
                assertEquals(Weights.all(Color.BLUE), live, "the stable colour serves");
            }
        }
        if (row.phase() == PhaseOf.ROLLBACK && !row.persistent()) {
            assertEquals(Weights.all(Color.BLUE), live, "the failing candidate is rolled back");
            assertEquals(Phase.ROLLED_BACK, record.getPhase());
        }

        // A gate that cannot be read never counts as passed.
        for (RolloutEvent e : record.getHistory()) {
            GatePoint g = e.gate();
            if (g != null && g.value() == null) {
                assertNotEquals("PASS", g.verdict(), "an unread gate passed: " + e.message());
            }
        }
        if (row.phase().prometheus && row.fault() != FaultOf.LATENCY) {
            assertEquals("FAILED", outcome, "promoted though its gates could not be read for a whole window");
            assertEquals(Weights.all(Color.BLUE), live);
        }

        // The lease is released.
        Lease lease = mock.client.leases().inNamespace(lab.namespace).withName(LeaseLock.name(lab.target)).get();
        assertTrue(lease == null || lease.getSpec().getHolderIdentity() == null, "the lease is released");

        // A failure names the server, the request and the fault; a success happened within the retry bound the log states.
        assertTrue(log.contains("are retried up to 10 times"), "the log states the retry bound");
        // a rollback that got through ends with its own reason (a breached gate), within the bound the log states
        boolean rolledBackByItsGate = row.phase() == PhaseOf.ROLLBACK && message != null && message.startsWith("Rolled back ");
        if (message != null && !rolledBackByItsGate) {
            for (String part : expectedInMessage(row)) {
                assertTrue(message.contains(part), "the message names '" + part + "': " + message);
            }
        }

        assertTrue(HOOKS.requests("json").stream().anyMatch(r -> r.body().contains(lab.namespace)), "the step notified its webhook");
        SecretScan scan = new SecretScan();
        scan.store("the build log", log);
        scan.store("the message", message);
        ConfigMap stored = mock.client.configMaps().inNamespace(lab.namespace).withName(EngineLab.SERVICE + "-bluegreen-rollout").get();
        scan.store("the rollout record", stored == null ? "" : String.valueOf(stored.getData()));
        scan.store("the report", HtmlReport.html(record));
        RolloutAction action = context.live().run.getAction(RolloutAction.class);
        scan.store("the build's report", action == null ? "" : new JenkinsXStream().toXml(action));
        scan.store("the saved step state", context.live().saved);
        scan.store("the configuration XML", new JenkinsXStream().toXml(support.config));
        scan.assertNoSecret(SECRETS);
    }
}
