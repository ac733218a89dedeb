package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.helm.TestCharts;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.StructsBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blueGreenDeploy(helmChart: ...)} against the mock API server: a chart of a Deployment and a Service in the
 * workspace, rendered by the real Helm engine for both colours, rolled out as the idle colour's manifest; and what
 * stops a chart before anything in the cluster changes.
 */
class HelmChartStepTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-helm";
    private static final String DB_PASSWORD = "helm-s3t-Passw0rd";

    @RegisterExtension
    static final LiveGates GATES = new LiveGates();

    @RegisterExtension
    static final StepLab STEPS = new StepLab(GATES, TOKEN);

    @RegisterExtension
    static final ColourApps COLOURS = new ColourApps();

    @TempDir
    Path workspace;

    private StepTestSupport support;
    private EngineLab lab;

    @BeforeEach
    void setUp() {
        support = STEPS.support();
        lab = support.lab;
        COLOURS.reset();
        lab.engine().deploy(lab.manifest("1.0.0")); // blue serves
        TestCharts.checkout(workspace.resolve("charts/checkout"));
        TestCharts.write(workspace, "values-prod.yaml", "replicaCount: 2\n");
    }

    /** The chart as a Pipeline binds it, {@code set} as the Pipeline map it is. */
    static HelmChart chart(String path, Map<String, ?> set) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("chart", path);
        args.put("values", List.of("values-prod.yaml"));
        args.put("set", set);
        args.put("colorValue", "environment");
        return StructsBinding.instantiate(HelmChart.class, args);
    }

    private BlueGreenDeployStep step(HelmChart chart) {
        BlueGreenDeployStep step = StepTestSupport.deployStep("registry.example.com/shop/checkout:9.9.9", GATES, COLOURS);
        step.setImage(null);
        step.setHelmChart(chart);
        return step;
    }

    private TestContext launch(BlueGreenDeployStep step, Path ws) throws Exception {
        TestContext context = new TestContext(support.run);
        context.live().workspace = ws == null ? null : new FilePath(ws.toFile());
        context.launch(step);
        return context;
    }

    private static Map<String, String> env(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void theChartIsRenderedForTheIdleColourAndRolledOut() throws Exception {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("image.tag", "2.2.0");
        set.put("db.password", DB_PASSWORD); // not used by the chart: it must appear nowhere but in the saved arguments
        BlueGreenDeployStep step = step(chart("charts/checkout", set));
        step.setTrafficSteps(List.of(100));
        step.setAnalysisWindow("1s");
        TestContext context = launch(step, workspace);

        assertEquals("PROMOTED", context.live().awaitPhase(), context.live().log());
        assertEquals(Weights.all(Color.GREEN), lab.liveWeights());
        Deployment green = STEPS.mock().client.apps().deployments().inNamespace(lab.namespace).withName("checkout-green").get();
        assertEquals("registry.example.com/shop/checkout:2.2.0", green.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(Map.of("COLOUR", "green", "RELEASE", "checkout-green", "NAMESPACE", lab.namespace), env(green),
                "rendered for green, the colour the engine picked, in the step's namespace");
        assertEquals("green", green.getSpec().getTemplate().getMetadata().getLabels().get("environment"));

        String log = context.live().log();
        assertTrue(log.contains("[blueGreenDeploy] helm: rendered the Helm chart charts/checkout as checkout-blue and checkout-green in "
                + lab.namespace + ": 2 objects each; values files: values-prod.yaml; set: image.tag, db.password; colour value: environment"), log);
        assertTrue(log.indexOf("helm: rendered") < log.indexOf("phase: deploying"), "rendered before the deploy began");
        assertFalse(log.contains(DB_PASSWORD), "a set value is never logged");
        String saved = new String(context.live().saved, StandardCharsets.ISO_8859_1);
        assertTrue(saved.contains("charts/checkout") && saved.contains("values-prod.yaml") && saved.contains("image.tag"),
                "the paths and set keys are saved");
        assertFalse(saved.contains("kind: Deployment") || saved.contains("# Source:"), "never the rendered text");
        assertFalse(saved.contains(TOKEN));
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("bluegreen-helm-")).collect(Collectors.toList()),
                    "the controller's work folder is gone");
        }
    }

    /**
     * The example's chart (examples/helm-istio) as a whole bundle: its ConfigMap and autoscaler copied for green,
     * the Deployment reading green's ConfigMap, the autoscaler scaling green's Deployment.
     */
    @Test
    void theExampleChartRollsOutAsAWholeBundle() throws Exception {
        Path example = TestCharts.helmIstioExample();
        copyTree(example.resolve("chart"), workspace.resolve("charts/my-service"));
        Files.copy(example.resolve("values-prod.yaml"), workspace.resolve("values-prod.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BlueGreenDeployStep step = step(chart("charts/my-service", Map.of("image.tag", "2.3.0")));
        TestContext context = launch(step, workspace);

        assertEquals("READY", context.live().awaitPhase(), context.live().log());
        var k = STEPS.mock().client;
        Deployment green = k.apps().deployments().inNamespace(lab.namespace).withName("checkout-green").get();
        assertEquals("my-service-config-green", green.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                .getConfigMapRef().getName());
        assertEquals("green", k.configMaps().inNamespace(lab.namespace).withName("my-service-config-green").get().getData()
                .get("ENVIRONMENT"));
        assertEquals("checkout-green", k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace)
                .withName("my-service-green").get().getSpec().getScaleTargetRef().getName());
        assertTrue(lab.record().getCandidate().objects().contains("HorizontalPodAutoscaler/my-service-green"),
                String.valueOf(lab.record().getCandidate().objects()));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void aTemplateErrorStopsTheStepBeforeAnythingChanges() throws Exception {
        Throwable failure = launch(step(chart("charts/checkout", Map.of())), workspace).live().awaitFailure(); // no image.tag
        assertTrue(failure.getMessage().contains("Helm could not render the chart 'charts/checkout' for blue (release checkout-blue): "
                + "execution error at (checkout/templates/deployment.yaml:16:52): image.tag is required"), failure.getMessage());
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
        assertNull(STEPS.mock().client.apps().deployments().inNamespace(lab.namespace).withName("checkout-green").get(),
                "no candidate was deployed");
        assertEquals(Phase.STABLE, lab.record().getPhase());
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
    }

    @Test
    void aChartOutsideTheWorkspaceOrWithALinkIsRefusedBeforeAnythingChanges(@TempDir Path elsewhere) throws Exception {
        TestCharts.checkout(elsewhere.resolve("checkout"));
        Files.createSymbolicLink(workspace.resolve("linked"), elsewhere.resolve("checkout"));
        Throwable outside = launch(step(chart("linked", Map.of("image.tag", "2.2.0"))), workspace).live().awaitFailure();
        assertEquals(Messages.HelmChart_OutsideWorkspace("linked"), outside.getMessage());

        Path leaky = TestCharts.checkout(workspace.resolve("charts/leaky"));
        Files.createSymbolicLink(leaky.resolve("templates/secret.yaml"), elsewhere.resolve("checkout/values.yaml"));
        Throwable link = launch(step(chart("charts/leaky", Map.of("image.tag", "2.2.0"))), workspace).live().awaitFailure();
        assertTrue(link.getMessage().contains(Messages.HelmChart_ChartHasLinks("charts/leaky", "templates/secret.yaml")), link.getMessage());

        Throwable missing = launch(step(chart("charts/nothing-here", Map.of())), workspace).live().awaitFailure();
        assertTrue(missing.getMessage().contains(Messages.HelmChart_ChartMissing("charts/nothing-here")), missing.getMessage());

        Throwable noNode = launch(step(chart("charts/checkout", Map.of("image.tag", "2.2.0"))), null).live().awaitFailure();
        assertTrue(noNode.getMessage().contains(Messages.HelmChart_NoWorkspace("charts/checkout")), noNode.getMessage());

        assertNull(STEPS.mock().client.apps().deployments().inNamespace(lab.namespace).withName("checkout-green").get());
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    @Test
    void helmChartGoesAloneAndItsArgumentsAreCheckedWhenTheStepStarts() {
        BlueGreenDeployStep both = step(chart("charts/checkout", Map.of()));
        both.setImage("registry.example.com/shop/checkout:2.0.0");
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_SourceRequired(), StepTestSupport.refusal(both));
        both.setImage(null);
        both.setManifest("k8s/checkout.yaml");
        assertEquals("blueGreenDeploy: " + Messages.BlueGreenDeployStep_SourceRequired(), StepTestSupport.refusal(both));

        HelmChart h = chart("charts/checkout", Map.of("image.tag", "2.2.0", "db.password", DB_PASSWORD));
        assertFalse(h.toString().contains(DB_PASSWORD), h.toString());
        assertEquals("checkout \u2190 Helm chart", new BlueGreenDeployStep.DescriptorImpl().argumentsToString(
                Map.of("service", "checkout", "helmChart", h)));
    }
}
