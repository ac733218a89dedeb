package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.testkit.ProgramState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A Jenkins controller running {@code blueGreenDeploy} in a JVM of its own ({@link ControllerProcess}) is killed with
 * SIGKILL at 20 moments drawn from a seeded random over a whole rollout, from pre-flight to decommission; a fresh JVM
 * then resumes the step from the program as River last saved it (or, when the kill came before the step's first
 * save, runs the step again, as Pipeline would from its previous checkpoint). The candidate is healthy, so every run
 * must end exactly as the uninterrupted rollout did (see {@link RolloutEndState} for what is compared): a kill must
 * neither roll it back nor leave it half-way. The moments are placed on the uninterrupted rollout's timeline of
 * milestones ({@link RolloutMilestones}), so that a JVM slowed by the machine's load is killed at the same point of
 * its rollout. The API server is the test JVM's mock with the simulated control plane, reached over loopback; the
 * gates read a real Prometheus. The seed is printed; {@code -Dkilltest.seed=N} repeats a run. The test JVM mostly
 * waits for the controller JVMs, so the class runs beside the rest of the suite.
 */
@Execution(ExecutionMode.CONCURRENT)
class KilledControllerTest {

    private static final int RUNS = 20;
    /** Runs at a time, each in a namespace of its own: the rollouts wait on their windows far more than they compute. */
    private static final int PARALLEL = 4;
    private static final long SIGKILL_STATUS = 128 + 9;

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    private static MockCluster mock;
    /** CPU time of the controller JVMs, for the figures. */
    private final java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();

    @BeforeAll
    static void startCluster() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        mock.close();
    }

    /** Blue 1.0.0 from a bundle: the Deployment and the objects a colour carries with it. */
    private static String blueBundle() {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: checkout, labels: {app: checkout}}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout}}
                    spec:
                      serviceAccountName: checkout-sa
                      containers:
                      - name: app
                        image: registry.example.com/shop/checkout:1.0.0
                        envFrom:
                        - configMapRef: {name: config}
                        ports:
                        - containerPort: 8080
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config}
                data: {greeting: hello}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: checkout-sa}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: checkout}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
                  minReplicas: 2
                  maxReplicas: 6
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: checkout}
                spec:
                  minAvailable: 1
                  selector: {matchLabels: {app: checkout}}
                """;
    }

    /**
     * A namespace with blue live from the bundle, and the gate values of both colours set to 0 (see
     * {@link #goWhenScraped}). Closed (its simulated control plane stopped) once its run is over.
     */
    private static EngineLab newLab() {
        EngineLab lab = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, Clock.systemUTC());
        lab.engine().deploy(new DeploySpec(lab.target, new CandidateSource.Manifest(blueBundle()), lab.router, null,
                Duration.ofSeconds(10), "https://jenkins.example.com/job/checkout-setup/1/"));
        for (String colour : List.of("blue", "green")) {
            GATES.set(lab.namespace, EngineLab.SERVICE, colour, 0);
        }
        return lab;
    }

    /** Lets {@code jvm} start its step once Prometheus has the lab's gate values (it starts up meanwhile). */
    private static void goWhenScraped(EngineLab lab, ControllerJvm jvm) throws Exception {
        for (String colour : List.of("blue", "green")) {
            GATES.awaitScraped(lab.namespace, EngineLab.SERVICE, colour, 0);
        }
        jvm.go();
    }

    private static List<String> args(EngineLab lab, Path program) {
        return List.of(mock.server.url("/").replaceAll("/$", ""), lab.namespace, GATES.url(), COLOURS.baseUrl(), program.toString());
    }

    /**
     * The uninterrupted rollout's timeline: when each milestone was seen, in ms after the step started. A kill moment
     * {@code m} of it is placed after the last milestone at or before {@code m} ({@link #anchor}), by as much.
     */
    record Timeline(List<Long> milestones, List<String> names, long millis) {
        /** The milestone a moment falls after (0: the step's start) and how long after it. */
        long[] anchor(long moment) {
            int k = 0;
            while (k < milestones.size() && milestones.get(k) <= moment) {
                k++;
            }
            return new long[] {k, moment - (k == 0 ? 0 : milestones.get(k - 1))};
        }

        String describe(long moment) {
            long[] a = anchor(moment);
            return a[0] == 0 ? "+" + a[1] + " ms after the start" : "+" + a[1] + " ms after " + names.get((int) a[0] - 1);
        }
    }

    /** One killed run, as the table prints it. */
    record Row(int run, long killAt, String anchor, String phaseAtKill, String savedStage, String outcome, String how,
            long millis, String failure) {}

    @Test
    void aControllerKilledAtTwentyMomentsIsResumedToTheEndOfAnUninterruptedRollout(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("killtest.seed", System.currentTimeMillis());
        System.out.println("KilledControllerTest: seed " + seed + " (repeat with -Dkilltest.seed=" + seed + ")");
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        long began = System.nanoTime();
        long ownCpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
        try {
            // The uninterrupted rollout: its end state is what every run must reach, its timeline what the kills span.
            // Its JVM leaves the classes it loaded in an archive that the other JVMs start from.
            String classPath = ControllerJvm.jarredClassPath(Files.createDirectories(dir.resolve("classpath")));
            Path archive = dir.resolve("controller.jsa");
            Path referenceDir = Files.createDirectories(dir.resolve("run-0"));
            Timeline timeline;
            Map<String, String> expected;
            try (EngineLab reference = newLab(); RolloutMilestones milestones = new RolloutMilestones(mock.client, reference.target);
                    ControllerJvm jvm = ControllerJvm.start(List.of("-XX:ArchiveClassesAtExit=" + archive), classPath,
                            args(reference, referenceDir.resolve("program.dat")), referenceDir.resolve("controller.log"))) {
                goWhenScraped(reference, jvm);
                Instant start = began(jvm);
                String result = ended(jvm, 60);
                long millis = Duration.between(start, Instant.now()).toMillis();
                assertEquals("RESULT STABLE", result, () -> log(jvm.log));
                cpu.addAndGet(jvm.cpuMillis());
                assertEquals(0, jvm.finish(60));
                expected = RolloutEndState.of(mock.client, reference.namespace);
                List<Long> offsets = milestones.times().stream().map(t -> Duration.between(start, t).toMillis()).toList();
                List<String> names = new ArrayList<>();
                for (int k = 1; k <= offsets.size(); k++) {
                    names.add(milestones.name(k));
                }
                timeline = new Timeline(offsets, names, millis);
            }
            long span = timeline.milestones().get(timeline.milestones().size() - 1); // the start to the decommission
            System.out.println("KilledControllerTest: the uninterrupted rollout took " + timeline.millis() + " ms, "
                    + timeline.milestones().size() + " milestones at " + timeline.milestones() + " ms");
            List<String> jvmOptions = Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();

            Random random = new Random(seed);
            List<Future<Row>> rows = new ArrayList<>();
            for (int i = 1; i <= RUNS; i++) {
                int run = i;
                long killAt = (long) (random.nextDouble() * span);
                rows.add(pool.submit(() -> {
                    try (EngineLab lab = newLab()) {
                        return killAndResume(run, killAt, timeline, lab, dir, jvmOptions, classPath, expected);
                    }
                }));
            }
            List<Row> table = new ArrayList<>();
            for (Future<Row> f : rows) {
                table.add(f.get(5, TimeUnit.MINUTES));
            }
            System.out.println(table(seed, timeline, table, (System.nanoTime() - began) / 1_000_000));
            System.out.println("KilledControllerTest: CPU " + cpu.get() + " ms in the controller JVMs, "
                    + (ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L) - ownCpu)
                    + " ms in the test JVM (API server, Prometheus client, the other tests running beside); load average "
                    + loadAverage());
            for (Row r : table) {
                assertEquals(null, r.failure(), "run " + r.run() + " (seed " + seed + ")");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
                .contains(ControllerProcess.class.getName())), "no controller JVM is left behind");
    }

    private Row killAndResume(int run, long killAt, Timeline timeline, EngineLab lab, Path dir, List<String> jvmOptions,
            String classPath, Map<String, String> expected) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run-" + run));
        Path program = runDir.resolve("program.dat");
        long start = System.nanoTime();
        String phaseAtKill;
        String savedStage;
        long[] anchor = timeline.anchor(killAt);
        try (RolloutMilestones milestones = new RolloutMilestones(mock.client, lab.target);
                ControllerJvm doomed = ControllerJvm.start(jvmOptions, classPath, args(lab, program), runDir.resolve("killed.log"))) {
            goWhenScraped(lab, doomed);
            Instant from = anchor[0] == 0 ? began(doomed) : milestones.await((int) anchor[0], Duration.ofSeconds(60));
            if (from == null) {
                return new Row(run, killAt, timeline.describe(killAt), "-", "-", "-", "-", ms(start), "milestone " + anchor[0]
                        + " never came\n" + log(doomed.log));
            }
            // as long after that milestone as in the uninterrupted rollout, or at the next one if it comes first
            Duration wait = Duration.between(Instant.now(), from.plusMillis(anchor[1]));
            if (!wait.isNegative()) {
                milestones.await((int) anchor[0] + 1, wait);
            }
            cpu.addAndGet(doomed.cpuMillis());
            int status = doomed.kill();
            if (status != SIGKILL_STATUS) {
                return new Row(run, killAt, timeline.describe(killAt), "-", "-", "-", "-", ms(start),
                        "the controller exited with " + status + ", not killed by SIGKILL\n" + log(doomed.log));
            }
            phaseAtKill = String.valueOf(lab.record().getPhase());
            savedStage = savedStage(program);
        }
        try (ControllerJvm fresh = ControllerJvm.start(jvmOptions, classPath, args(lab, program), runDir.resolve("resumed.log"))) {
            fresh.go(); // a controller with no program to resume runs the step again, at once
            String result = ended(fresh, 90);
            cpu.addAndGet(fresh.cpuMillis());
            int exit = fresh.finish(30);
            Phase end = lab.record().getPhase();
            String how = end == Phase.ROLLED_BACK ? "rolled back" : savedStage.equals("none") ? "started again" : "resumed";
            Map<String, String> actual = RolloutEndState.of(mock.client, lab.namespace);
            String failure = null;
            String logs = log(runDir.resolve("killed.log")) + "\n" + log(fresh.log);
            if (exit != 0) {
                failure = "the resumed controller exited with " + exit + " after '" + result + "'\n" + logs;
            } else if (!result.equals("RESULT " + end)) {
                failure = "the step ended with '" + result + "' but the record says " + end + "\n" + logs;
            } else if (end != Phase.STABLE) {
                failure = "the rollout ended " + end + "\n" + logs;
            } else if (!expected.equals(actual)) {
                failure = "the end state differs from the uninterrupted rollout's:\n" + RolloutEndState.diff(expected, actual) + logs;
            } else if (leaks(program) || leaks(runDir.resolve("killed.log")) || leaks(fresh.log)) {
                failure = "a secret is in the saved program or a build log";
            }
            return new Row(run, killAt, timeline.describe(killAt), phaseAtKill, savedStage, result, how, ms(start), failure);
        }
    }

    /** The stage the saved program resumes at, or "none" when the kill came before the step's first save. */
    private static String savedStage(Path program) throws Exception {
        if (!Files.exists(program)) {
            return "none";
        }
        StepExecution e = ProgramState.restore(Files.readAllBytes(program), StepExecution.class);
        RolloutPlanExecution.Stage stage = ((RolloutPlanExecution) e).currentStage();
        return ((RolloutPlanExecution) e).stageIndex() + " " + (stage == null ? "done" : stage.toString());
    }

    private static boolean leaks(Path file) throws Exception {
        if (!Files.exists(file)) {
            return false;
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return text.contains(ControllerProcess.TOKEN) || text.contains(StepTestSupport.PROMETHEUS_TOKEN);
    }

    /** When the controller's step started or resumed; its log when it never did. */
    private static Instant began(ControllerJvm jvm) throws Exception {
        try {
            return jvm.began.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage() + "\n" + log(jvm.log), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the controller's step did not start within 60 s\n" + log(jvm.log), e);
        }
    }

    /** The line with which the controller's step ended, or what went wrong instead. */
    private static String ended(ControllerJvm jvm, int seconds) throws InterruptedException {
        try {
            return jvm.ended.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return "no result: " + e.getCause().getMessage();
        } catch (java.util.concurrent.TimeoutException e) {
            return "no result within " + seconds + " s";
        }
    }

    /** The machine's load (Linux), for reading the figures: the suite and other work may run beside. */
    private static String loadAverage() throws java.io.IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? Files.readString(loadavg).trim() : "unknown";
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String log(Path log) {
        try {
            return "--- " + log.getFileName() + ":\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String table(long seed, Timeline timeline, List<Row> rows, long totalMillis) {
        StringBuilder b = new StringBuilder("KilledControllerTest: seed " + seed + ", uninterrupted rollout " + timeline.millis()
                + " ms, " + rows.size() + " runs, " + PARALLEL + " at a time, " + totalMillis + " ms in all\n");
        b.append(String.format("%-4s %8s  %-64s %-12s %-26s %-14s %-14s %6s%n", "run", "kill at", "on the rollout's timeline",
                "phase", "saved stage", "outcome", "how", "ms"));
        for (Row r : rows) {
            b.append(String.format("%-4d %5d ms  %-64.64s %-12s %-26s %-14s %-14s %6d%s%n", r.run(), r.killAt(), r.anchor(),
                    r.phaseAtKill(), r.savedStage(), r.outcome().replace("RESULT ", ""), r.how(), r.millis(),
                    r.failure() == null ? "" : "  FAILED"));
        }
        return b.toString();
    }
}
