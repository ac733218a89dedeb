package io.jenkins.plugins.bluegreen.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Descriptor;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.Connections;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.ProgramState;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * TEST CODE: a Jenkins controller in a JVM of its own, for {@link KilledControllerTest}. It runs one
 * {@code blueGreenDeploy} on the cluster {@code lab} (the test's mock API server) or, when its program file exists,
 * resumes the execution saved there, as a restarted controller resumes {@code program.dat}. Every program save is
 * written with River to a new file that is then moved over the old one, as Jenkins writes {@code program.dat}, so
 * that a SIGKILL leaves the last complete save. It prints {@code STARTING} or {@code RESUMING} when the step begins
 * or resumes, and {@code RESULT <phase>} or {@code FAILURE <message>} when it ends; the build log goes to stderr as
 * it is written. A new step starts when the test sends {@code go} on stdin (the controller starts up meanwhile); a
 * resumed one at once. It exits when its stdin closes, and not before, so that the test may kill it at any moment
 * and it never outlives the test JVM.
 *
 * <p>Arguments: API server URL, namespace, Prometheus URL, smoke-test base URL, program file.
 */
final class ControllerProcess {

    /** The secret of the cluster's credentials, which must never reach the saved program. */
    static final String TOKEN = "k8s-t0ken-s3cr3t-killed";

    private ControllerProcess() {}

    /**
     * The step every run deploys: 2.0.0 with the live gate, a smoke test, 50 % then 100 %, and short windows. The same
     * arguments in every JVM: a restart resumes the saved execution, not this.
     */
    static BlueGreenDeployStep step(String prometheusUrl, String smokeBaseUrl) {
        BlueGreenDeployStep step = new BlueGreenDeployStep(EngineLab.SERVICE);
        step.setCluster("lab");
        step.setPrometheusUrl(prometheusUrl);
        step.setPrometheusCredentialsId("prom-token");
        step.setGates(List.of(LiveGates.gate()));
        step.setMinEvaluations(1);
        step.setImage("registry.example.com/shop/checkout:2.0.0");
        step.setSmokeTests(List.of(ColourApps.healthCheck()));
        step.setSmokeTestBaseUrl(smokeBaseUrl);
        step.setReadinessTimeout("20s");
        step.setTrafficSteps(List.of(50, 100));
        step.setAnalysisWindow("1s");
        step.setBakeTime("1s");
        return step;
    }

    public static void main(String[] args) throws Exception {
        String apiServer = args[0];
        String namespace = args[1];
        Path program = Path.of(args[4]);
        Thread watcher = exitWhenTheTestGoes();

        TestJenkins jenkins = TestJenkins.install().rootUrl(StepTestSupport.ROOT_URL);
        TestCredentialsProvider credentials = new TestCredentialsProvider();
        credentials.add(TestCredentials.secretText("k8s-token", TOKEN));
        credentials.add(TestCredentials.secretText("prom-token", StepTestSupport.PROMETHEUS_TOKEN));
        jenkins.register(CredentialsProvider.class, credentials);
        jenkins.register(Descriptor.class, new KubernetesCluster.DescriptorImpl());
        BlueGreenGlobalConfiguration config = new BlueGreenGlobalConfiguration();
        jenkins.register(BlueGreenGlobalConfiguration.class, config);
        KubernetesCluster cluster = new KubernetesCluster("lab", apiServer);
        cluster.setCredentialsId("k8s-token");
        cluster.setNamespace(namespace);
        config.setClusters(List.of(cluster));
        // the same job and build number in every JVM: the build that resumes is the one that was running
        TestRun run = new TestJob(jenkins, "checkout-deploy").newBuild();

        TestContext context;
        if (Files.exists(program)) {
            StepExecution execution = ProgramState.restore(Files.readAllBytes(program), StepExecution.class);
            context = (TestContext) execution.getContext();
            context.adopt(run).execution = execution;
            context.live().onSave = bytes -> write(program, bytes);
            System.out.println("RESUMING " + ((RolloutPlanExecution) execution).stageIndex());
            execution.onResume();
        } else { // a new build, or one killed before the step's first save: Pipeline runs the step again then
            warmUp(run, args[2]);
            GO.await(); // the build starts when the test says: its namespace is ready
            context = new TestContext(run);
            context.live().onSave = bytes -> write(program, bytes);
            System.out.println("STARTING");
            context.launch(step(args[2], args[3]));
        }
        Thread log = writeTheBuildLog(context);
        int status = 0;
        String outcome;
        try {
            outcome = "RESULT " + context.live().result.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            outcome = "FAILURE " + e.getCause().getMessage().replace('\n', ' ');
            status = 1;
        } finally {
            log.interrupt();
            log.join();
        }
        finished = true; // before the test reads the outcome: it may let this controller go at once
        System.out.println(outcome);
        System.out.flush();
        watcher.join(); // the test says when this controller goes: until then it may still be killed
        System.exit(status);
    }

    /**
     * What a controller that has run builds before has done: its cluster client is connected and its Prometheus
     * client has queried, so that the step's first piece is not mostly class loading (which a Jenkins that has been up
     * for a while does not do, and which would leave the kill moments bunched up before the pre-flight).
     * Reads only; the client stays open for the step, shared as {@link PluginClients} shares it.
     */
    private static void warmUp(TestRun run, String prometheusUrl) throws Exception {
        try (Env env = Env.connect(run, System.err, Connections.cluster(run, "lab", null, null, null), EngineLab.SERVICE, "warm-up")) {
            env.engine.status(env.target);
        }
        Connections.prometheus(run, null, prometheusUrl, "prom-token").instantQuery("vector(0)", Instant.now());
        ProgramState.save(new java.util.ArrayList<>(List.of(LiveGates.gate()))); // River, as for the step's saves
    }

    /** Copies the build log to stderr as it grows, as Jenkins writes a build's log file, until interrupted. */
    private static Thread writeTheBuildLog(TestContext context) {
        Thread t = new Thread(() -> {
            int written = 0;
            boolean last = false;
            while (!last) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    last = true; // the step ended: what is left, once more
                }
                String log = context.live().log();
                System.err.print(log.substring(written));
                System.err.flush();
                written = log.length();
            }
        }, "build log");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A new file moved over the old one: a kill leaves either the previous save or this one, whole. */
    private static synchronized void write(Path program, byte[] bytes) {
        try {
            Path next = program.resolveSibling(program.getFileName() + ".tmp");
            Files.write(next, bytes);
            Files.move(next, program, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static volatile boolean finished;
    private static final CountDownLatch GO = new CountDownLatch(1);

    /**
     * The test JVM holds this JVM's stdin open and sends {@code go} when a new step may start: end of input means it is
     * done with this controller (which then exits) or gone (and so must this controller be, at once).
     */
    private static Thread exitWhenTheTestGoes() {
        Thread watcher = new Thread(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("go")) {
                        GO.countDown();
                    }
                }
            } catch (IOException e) {
                // gone all the same
            }
            if (!finished) {
                Runtime.getRuntime().halt(3);
            }
        }, "stdin watcher");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }
}
