package io.jenkins.plugins.bluegreen.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Descriptor;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import io.jenkins.plugins.bluegreen.testkit.ProgramState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * TEST CODE shared by the step tests: a Jenkins with a credentials provider holding one secret-text token (which
 * records the builds it is looked up for), a global cluster {@code lab} on the mock API server whose default namespace
 * is a fresh {@link EngineLab}'s, a build, and test implementations of StepContext and TaskListener.
 */
final class StepTestSupport implements AutoCloseable {

    /** The URL the test Jenkins is configured with (Manage Jenkins » System » Jenkins URL). */
    static final String ROOT_URL = "https://jenkins.example.com/";

    /** The secret of the Prometheus bearer-token credentials {@code prom-token}. */
    static final String PROMETHEUS_TOKEN = "prom-b3arer-s3cr3t";

    final MockCluster mock;
    final List<EngineLab> labs = new CopyOnWriteArrayList<>();
    final List<Run<?, ?>> contextualizedFor = new CopyOnWriteArrayList<>();
    final TestJenkins jenkins;
    /** The credentials store, to which a test may add more. */
    final TestCredentialsProvider credentials;
    final BlueGreenGlobalConfiguration config;
    final TestRun run;
    /** The lab of the configured cluster's default namespace, with an Istio router. */
    final EngineLab lab;

    @SuppressWarnings("rawtypes")
    StepTestSupport(MockCluster mock, String token) throws Exception {
        this.mock = mock;
        jenkins = TestJenkins.install().rootUrl(ROOT_URL);
        credentials = new TestCredentialsProvider();
        credentials.add(TestCredentials.secretTextRecordingRuns("k8s-token", token, contextualizedFor));
        credentials.add(TestCredentials.secretTextRecordingRuns("prom-token", PROMETHEUS_TOKEN, contextualizedFor));
        jenkins.register(CredentialsProvider.class, credentials);
        jenkins.register(Descriptor.class, new KubernetesCluster.DescriptorImpl());
        config = new BlueGreenGlobalConfiguration();
        jenkins.register(BlueGreenGlobalConfiguration.class, config);
        lab = newLab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        KubernetesCluster cluster = new KubernetesCluster("lab", mock.server.url("/").replaceAll("/$", ""));
        cluster.setCredentialsId("k8s-token");
        cluster.setNamespace(lab.namespace);
        config.setClusters(List.of(cluster));
        run = new TestJob(jenkins, "checkout-deploy").newBuild();
    }

    /** Another namespace on the same mock API server, with a router of {@code kind}; closed with this support. */
    EngineLab newLab(RouterSpec.Kind kind) {
        EngineLab l = new EngineLab(mock, kind, Clock.systemUTC());
        labs.add(l);
        return l;
    }

    /** Blue 1.0.0 stable, green 2.0.0 deployed and ready with no traffic yet; returns the engine that did it. */
    static RolloutEngine deployCandidate(EngineLab l) {
        RolloutEngine engine = l.engine();
        engine.deploy(l.manifest("1.0.0"));
        engine.deploy(l.image("2.0.0"));
        return engine;
    }

    /** What Pipeline saves of {@code o} in {@code program.dat}: JBoss Marshalling River, as workflow-support writes it. */
    static byte[] serialize(Object o) throws Exception {
        return ProgramState.save(o);
    }

    /** A running execution as a restarted controller reads it back from {@link #serialize}'s bytes. */
    static <T extends StepExecution> T restore(byte[] bytes, Class<T> type) throws Exception {
        return ProgramState.restore(bytes, type);
    }

    @Override
    public void close() {
        labs.forEach(EngineLab::close);
    }

    /** {@code step} on the cluster {@code lab}, watching the live gate through an inline Prometheus with a token. */
    static <S extends GatedStep> S gated(S step, LiveGates gates) {
        step.setCluster("lab");
        step.setPrometheusUrl(gates.url());
        step.setPrometheusCredentialsId("prom-token");
        step.setGates(List.of(LiveGates.gate()));
        // the tests' windows are a few seconds: one evaluation with data decides (the default, 3, is tested on its own)
        step.setMinEvaluations(1);
        return step;
    }

    /**
     * {@code blueGreenDeploy} of {@code image} on the cluster {@code lab}, watching the live gate with an inline
     * Prometheus, smoke-testing {@code /healthz} of the colour's app, with a readiness timeout of 20 s.
     */
    static BlueGreenDeployStep deployStep(String image, LiveGates gates, ColourApps colours) {
        BlueGreenDeployStep step = gated(new BlueGreenDeployStep(EngineLab.SERVICE), gates);
        step.setImage(image);
        step.setSmokeTests(List.of(ColourApps.healthCheck()));
        step.setSmokeTestBaseUrl(colours.baseUrl());
        step.setReadinessTimeout("20s");
        return step;
    }

    /**
     * The one-line message with which {@code step} refuses to start, as the Pipeline prints it: an
     * {@link hudson.AbortException} from {@code Step.start}, never an exception while the arguments are bound.
     */
    static String refusal(org.jenkinsci.plugins.workflow.steps.Step step) {
        hudson.AbortException e = org.junit.jupiter.api.Assertions.assertThrows(hudson.AbortException.class,
                () -> step.start(new TestContext(null)), "refused when it starts");
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    /** What a context reaches while the controller runs: the build, its log, the step's result. Not serialized. */
    static final class Live {
        final Run<?, ?> run;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final TaskListener listener;
        final CompletableFuture<Object> result = new CompletableFuture<>();
        final AtomicInteger completions = new AtomicInteger();
        final TestFlowNode node = new TestFlowNode();
        volatile hudson.FilePath workspace;
        volatile String completedOn;
        /** The execution the Pipeline saves with its program, once the step started. */
        volatile StepExecution execution;
        /** The program as last saved: what a restarted controller resumes. */
        volatile byte[] saved;
        final AtomicInteger saves = new AtomicInteger();
        /** Set when the build's program is gone: the context answers nothing more. */
        volatile boolean gone;
        /** Which saves fail, as River fails on a type it cannot write (a save that fails fails the build). */
        volatile java.util.function.Predicate<StepExecution> saveFails = e -> false;
        /** Called after each successful save, e.g. to restart the controller there. */
        volatile java.util.function.Consumer<byte[]> onSave = b -> {};

        /**
         * What Pipeline does when it cannot save the program: the build fails and ends, while an execution's own timer
         * work is not told (workflow-cps calls stop() only on an abort).
         */
        void croak() {
            if (run instanceof TestRun && run.isBuilding()) {
                run.setResult(Result.FAILURE);
                ((TestRun) run).finish();
            }
        }

        Live(Run<?, ?> run) {
            this.run = run;
            PrintStream logger = new PrintStream(out, true, StandardCharsets.UTF_8);
            this.listener = new CollectingListener(logger);
        }

        String log() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        Object awaitResult() throws Exception {
            return result.get(60, TimeUnit.SECONDS);
        }

        /** What the step returned: a {@link RolloutResult}, whose {@code toString()} is its phase. */
        RolloutResult awaitRolloutResult() throws Exception {
            RolloutResult r = org.junit.jupiter.api.Assertions.assertInstanceOf(RolloutResult.class, awaitResult(), log());
            org.junit.jupiter.api.Assertions.assertEquals(r.getPhase(), r.toString(), "what \"${result}\" gives a Pipeline");
            return r;
        }

        /** The phase the step returned, as a Pipeline reads it through {@code env.X = step(...)} or {@code "${result}"}. */
        String awaitPhase() throws Exception {
            return awaitRolloutResult().toString();
        }

        Throwable awaitFailure() throws Exception {
            try {
                Object r = result.get(60, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure, got success: " + r + "\n" + log());
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    /** The step's node in the flow graph, holding the actions a step adds (e.g. a WarningAction). */
    static final class TestFlowNode extends FlowNode {
        TestFlowNode() {
            super(null, "7");
        }

        @Override
        protected String getTypeDisplayName() {
            return "test step";
        }
    }

    /** A TaskListener writing to memory. */
    static final class CollectingListener implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream logger;

        CollectingListener(PrintStream logger) {
            this.logger = logger;
        }

        @Override
        public PrintStream getLogger() {
            return logger;
        }
    }

    /**
     * A StepContext that, like Pipeline's, serializes as a reference (an ID) to the live build: the step's own state
     * is what a restart test sees in the bytes.
     */
    static final class TestContext extends StepContext {
        private static final long serialVersionUID = 1L;
        private static final Map<String, Live> LIVE = new ConcurrentHashMap<>();

        private final String id = UUID.randomUUID().toString();

        TestContext(Run<?, ?> run) {
            LIVE.put(id, new Live(run));
        }

        Live live() {
            return LIVE.get(id);
        }

        /**
         * A controller started anew (another JVM) that read this context back from {@code program.dat}: it reaches
         * the build again, as Pipeline's context does once its build is loaded.
         */
        Live adopt(Run<?, ?> run) {
            Live l = new Live(run);
            LIVE.put(id, l);
            return l;
        }

        /**
         * Starts {@code step} in this context as Pipeline does: the execution is created and started, and the program,
         * execution included, is saved (with River, as workflow-support saves it) as soon as the step went async.
         */
        StepExecution launch(Step step) throws Exception {
            StepExecution execution = step.start(this);
            live().execution = execution;
            org.junit.jupiter.api.Assertions.assertFalse(execution.start(), "the step completes later, off the Pipeline thread");
            saveState();
            return execution;
        }

        /** A controller restart: the execution is read back from the program as last saved, and resumed. */
        StepExecution restart() throws Exception {
            Live l = live();
            StepExecution after = restore(l.saved, StepExecution.class);
            l.execution = after;
            after.onResume();
            return after;
        }

        @Override
        public <T> T get(Class<T> key) throws IOException {
            if (live().gone) {
                throw new IOException("the build's program is gone");
            }
            if (key == Run.class) {
                return key.cast(live().run);
            }
            if (key == TaskListener.class) {
                return key.cast(live().listener);
            }
            if (key == FlowNode.class) {
                return key.cast(live().node);
            }
            if (key == hudson.FilePath.class) {
                return key.cast(live().workspace);
            }
            return null;
        }

        @Override
        public void onSuccess(Object result) {
            Live l = live();
            l.completions.incrementAndGet();
            l.completedOn = Thread.currentThread().getName();
            l.result.complete(result);
        }

        @Override
        public void onFailure(Throwable t) {
            Live l = live();
            l.completions.incrementAndGet();
            l.completedOn = Thread.currentThread().getName();
            l.result.completeExceptionally(t);
        }

        @Override
        public boolean isReady() {
            return live().result.isDone();
        }

        /** Saves the program with the execution in it, as workflow-cps does; a failure fails the build, as there. */
        @Override
        public ListenableFuture<Void> saveState() {
            Live l = live();
            StepExecution e = l.execution;
            if (e == null) {
                return Futures.immediateFuture(null);
            }
            byte[] bytes;
            try {
                if (l.saveFails.test(e)) {
                    throw new IllegalStateException("Cannot invoke record getter (a save made to fail by the test)");
                }
                bytes = ProgramState.save(e);
            } catch (IOException | RuntimeException x) {
                l.croak();
                return Futures.immediateFailedFuture(x);
            }
            l.saved = bytes;
            l.saves.incrementAndGet();
            l.onSave.accept(bytes);
            return Futures.immediateFuture(null);
        }

        @Override
        public void setResult(Result r) {
            throw new UnsupportedOperationException("these steps do not set the build result");
        }

        @Override
        public BodyInvoker newBodyInvoker() {
            throw new IllegalStateException("no body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TestContext && ((TestContext) o).id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }
}
