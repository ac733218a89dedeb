package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.AbortException;
import hudson.model.Descriptor;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code rollback} step driven through test implementations of StepContext, TaskListener and Run. */
class RollbackStepTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-rollback";

    private static MockCluster mock;

    private final List<EngineLab> labs = new CopyOnWriteArrayList<>();
    private final List<Run<?, ?>> contextualizedFor = new CopyOnWriteArrayList<>();
    private TestJenkins jenkins;
    private BlueGreenGlobalConfiguration config;
    private TestRun run;
    private EngineLab lab;

    @BeforeAll
    static void startCluster() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        mock.close();
    }

    @BeforeEach
    @SuppressWarnings("rawtypes")
    void setUp() throws Exception {
        jenkins = TestJenkins.install();
        TestCredentialsProvider credentials = new TestCredentialsProvider();
        credentials.add(TestCredentials.secretTextRecordingRuns("k8s-token", TOKEN, contextualizedFor));
        jenkins.register(CredentialsProvider.class, credentials);
        jenkins.register(Descriptor.class, new KubernetesCluster.DescriptorImpl());
        config = new BlueGreenGlobalConfiguration();
        jenkins.register(BlueGreenGlobalConfiguration.class, config);
        lab = newLab();
        KubernetesCluster cluster = new KubernetesCluster("lab", mock.server.url("/").replaceAll("/$", ""));
        cluster.setCredentialsId("k8s-token");
        cluster.setNamespace(lab.namespace);
        config.setClusters(List.of(cluster));
        run = new TestJob(jenkins, "checkout-deploy").newBuild();
    }

    @AfterEach
    void tearDown() {
        labs.forEach(EngineLab::close);
    }

    private EngineLab newLab() {
        EngineLab l = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, Clock.systemUTC());
        labs.add(l);
        return l;
    }

    /** Blue 1.0.0 stable, green 2.0.0 with half of the traffic. */
    private static void liveRollout(EngineLab l) {
        RolloutEngine engine = l.engine();
        engine.deploy(l.manifest("1.0.0"));
        engine.deploy(l.image("2.0.0"));
        engine.shift(l.target, 50, EngineLab.OWNER);
        assertEquals(Phase.SHIFTED, l.record().getPhase());
        assertEquals(new Weights(50, 50), l.liveWeights());
    }

    private static RollbackStep step() {
        RollbackStep step = new RollbackStep(EngineLab.SERVICE);
        step.setCluster("lab");
        return step;
    }

    // ---- arguments and forms -------------------------------------------------------------------------------

    @Test
    void argumentsBindWithDefaultsAndReadBack() {
        RollbackStep s = new RollbackStep(" checkout ");
        assertEquals("checkout", s.getService());
        assertNull(s.getCluster());
        assertNull(s.getServerUrl());
        assertNull(s.getCredentialsId());
        assertNull(s.getNamespace());
        assertEquals("requested by the Pipeline", s.getReason());
        assertFalse(s.isFailIfNothingToRollBack());

        s.setCluster("prod-eu");
        s.setServerUrl("https://k8s.example.com");
        s.setCredentialsId("k8s-token");
        s.setNamespace("shop");
        s.setReason("error rate too high");
        s.setFailIfNothingToRollBack(true);
        assertEquals("prod-eu", s.getCluster());
        assertEquals("https://k8s.example.com", s.getServerUrl());
        assertEquals("k8s-token", s.getCredentialsId());
        assertEquals("shop", s.getNamespace());
        assertEquals("error rate too high", s.getReason());
        assertTrue(s.isFailIfNothingToRollBack());

        s.setReason("  ");
        assertEquals(RollbackStep.DEFAULT_REASON, s.getReason(), "a blank reason is the default");
        s.setNamespace("");
        assertNull(s.getNamespace());
    }

    @Test
    void badNamesAreRefusedWithClearMessages() {
        assertEquals(Messages.RollbackStep_ServiceRequired(),
                assertThrows(IllegalArgumentException.class, () -> new RollbackStep(" ")).getMessage());
        assertEquals(Messages.RollbackStep_ServiceInvalid("Checkout_Svc", 47),
                assertThrows(IllegalArgumentException.class, () -> new RollbackStep("Checkout_Svc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RollbackStep("a".repeat(48)));
        RollbackStep s = new RollbackStep("checkout");
        assertEquals(Messages.RollbackStep_NamespaceInvalid("Not_A_Namespace"),
                assertThrows(IllegalArgumentException.class, () -> s.setNamespace("Not_A_Namespace")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.setReason("two\nlines"));
    }

    @Test
    void descriptorNamesTheStepAndShowsTheService() {
        RollbackStep.DescriptorImpl d = new RollbackStep.DescriptorImpl();
        assertEquals("rollback", d.getFunctionName());
        assertEquals(Messages.RollbackStep_DisplayName(), d.getDisplayName());
        assertEquals(Set.of(Run.class, TaskListener.class), d.getRequiredContext());
        assertEquals("checkout", d.argumentsToString(Map.of("service", "checkout", "cluster", "lab", "reason", "x")));
        assertNull(d.argumentsToString(Map.of("cluster", "lab")));
        assertFalse(d.takesImplicitBlockArgument());
    }

    // ---- execution -----------------------------------------------------------------------------------------

    @Test
    void rollsBackALiveRolloutAsynchronouslyAndLogsNoSecret() throws Exception {
        liveRollout(lab);
        RollbackStep step = step();
        step.setReason("error rate too high");
        TestContext context = new TestContext(run);
        StepExecution execution = step.start(context);
        assertEquals("waiting to start", execution.getStatus());

        assertFalse(execution.start(), "the step completes later, off the Pipeline thread");
        assertNull(context.live().awaitResult());
        assertTrue(context.live().completedOn.startsWith("jenkins.util.Timer"), context.live().completedOn);
        assertEquals(1, context.live().completions.get());

        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(3, lab.replicas(Color.BLUE));
        RolloutRecord r = lab.record();
        assertEquals(Phase.ROLLED_BACK, r.getPhase());
        assertEquals("error rate too high", r.getRollback().reason());
        assertEquals("finished", execution.getStatus());

        String log = context.live().log();
        assertTrue(log.contains(Messages.RollbackStep_Started(lab.target.toString(), "error rate too high")), log);
        assertTrue(log.contains("[rollback] rollback: rolling back to blue: error rate too high"), log);
        assertTrue(log.contains("Rollback finished: rolled back: blue has all traffic again"), log);
        assertFalse(log.contains(TOKEN), log);
        assertEquals(List.of(run), contextualizedFor, "the credentials were looked up for this build");
    }

    @Test
    void nothingInProgressSucceedsWithAMessage() throws Exception {
        TestContext context = new TestContext(run);
        StepExecution execution = step().start(context);
        assertFalse(execution.start());
        assertNull(context.live().awaitResult());
        String log = context.live().log();
        assertTrue(log.contains(Messages.RollbackStep_NothingToRollBack(
                "nothing to roll back: " + lab.target + " has no rollout record")), log);
        assertFalse(log.contains("Rollback finished"), log);
    }

    @Test
    void nothingInProgressFailsOnRequestWithoutAStackTrace() throws Exception {
        lab.engine().deploy(lab.manifest("1.0.0"));
        RollbackStep step = step();
        step.setFailIfNothingToRollBack(true);
        TestContext context = new TestContext(run);
        assertFalse(step.start(context).start());
        Throwable failure = context.live().awaitFailure();
        AbortException abort = assertInstanceOf(AbortException.class, failure);
        assertEquals(Messages.RollbackStep_NothingToRollBackFailure(
                "nothing to roll back: " + lab.target + " is STABLE, blue serves all traffic"), abort.getMessage());
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void anUnknownClusterFailsBeforeTheEngineRuns() throws Exception {
        liveRollout(lab);
        RollbackStep step = new RollbackStep(EngineLab.SERVICE);
        step.setCluster("staging");
        TestContext context = new TestContext(run);
        assertFalse(step.start(context).start());
        AbortException abort = assertInstanceOf(AbortException.class, context.live().awaitFailure());
        assertEquals(io.jenkins.plugins.bluegreen.config.Messages.Connections_UnknownCluster("staging", "lab"), abort.getMessage());
        assertEquals(Phase.SHIFTED, lab.record().getPhase(), "the engine never ran");
        assertEquals(new Weights(50, 50), lab.liveWeights());
        assertTrue(contextualizedFor.isEmpty(), "no credentials were looked up");
    }

    @Test
    void stopFailsTheStepWithTheCauseOnce() throws Exception {
        TestContext context = new TestContext(run);
        StepExecution execution = step().start(context);
        InterruptedException cause = new InterruptedException("aborted by user");
        execution.stop(cause);
        assertSame(cause, context.live().awaitFailure());
        assertEquals("stopped", execution.getStatus());
        execution.stop(new InterruptedException("again"));
        assertEquals(1, context.live().completions.get(), "a step completes once");
    }

    // ---- restarts ------------------------------------------------------------------------------------------

    @Test
    void theSerializedExecutionHoldsNoSecretAndFinishesTheRollbackOnResume() throws Exception {
        liveRollout(lab);
        TestContext context = new TestContext(run);
        StepExecution before = step().start(context);

        byte[] bytes = serialize(before);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(TOKEN), "the token is not in the saved execution");
        assertFalse(text.contains("KubernetesClient"), "no client is saved");
        assertTrue(text.contains("checkout"), "the arguments are saved");

        // The controller restarts: a new execution object from the saved bytes, resumed.
        StepExecution after = (StepExecution) new ObjectInputStream(new ByteArrayInputStream(bytes)).readObject();
        after.onResume();
        assertNull(context.live().awaitResult());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        assertEquals(0, lab.replicas(Color.GREEN));
        assertEquals(Phase.ROLLED_BACK, lab.record().getPhase());
        assertFalse(context.live().log().contains(TOKEN));
        assertFalse(new String(serialize(after), StandardCharsets.ISO_8859_1).contains(TOKEN), "nor after running");

        // Resuming once more (a second restart) is harmless: the record says it is done.
        TestContext again = new TestContext(run);
        StepExecution third = step().start(again);
        third.onResume();
        assertNull(again.live().awaitResult());
        assertTrue(again.live().log().contains("nothing to roll back"), again.live().log());
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    // ---- test implementations ------------------------------------------------------------------------------

    /** What a context reaches while the controller runs: the build, its log, the step's result. Not serialized. */
    static final class Live {
        final Run<?, ?> run;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final TaskListener listener;
        final CompletableFuture<Object> result = new CompletableFuture<>();
        final AtomicInteger completions = new AtomicInteger();
        volatile String completedOn;

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

        Throwable awaitFailure() throws Exception {
            try {
                Object r = result.get(60, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure, got success: " + r + "\n" + log());
            } catch (ExecutionException e) {
                return e.getCause();
            }
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

        @Override
        public <T> T get(Class<T> key) {
            if (key == Run.class) {
                return key.cast(live().run);
            }
            if (key == TaskListener.class) {
                return key.cast(live().listener);
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

        @Override
        public ListenableFuture<Void> saveState() {
            return Futures.immediateFuture(null);
        }

        @Override
        public void setResult(Result r) {
            throw new UnsupportedOperationException("the rollback step does not set the build result");
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
