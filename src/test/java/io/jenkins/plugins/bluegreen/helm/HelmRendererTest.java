package io.jenkins.plugins.bluegreen.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.kubernetes.Manifests;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charts rendered by the real Helm engine (helm-java's linux-amd64 native library) in the renderer's child JVM:
 * both colours at once, values files and {@code set}, what never leaves the machine ({@code lookup}, DNS, chart
 * dependencies), and errors that name the chart, the template and the line without a {@code set} value.
 */
class HelmRendererTest {

    @TempDir
    Path tmp;

    private static HelmRenderer.Request request(Path chart, List<Path> values, Map<String, String> set, String colorValue) {
        return new HelmRenderer.Request(chart, "charts/" + chart.getFileName(), values,
                values.stream().map(v -> "ws/" + v.getFileName()).collect(Collectors.toList()), set, colorValue, "shop", "checkout");
    }

    private CandidateSource.PerColor render(HelmRenderer.Request request) throws Exception {
        return new HelmRenderer().render(request, Files.createTempDirectory(tmp, "work"));
    }

    private String failure(HelmRenderer.Request request) {
        return assertThrows(HelmException.class, () -> render(request)).getMessage();
    }

    private static List<HasMetadata> objects(String text) {
        Object parsed = new KubernetesSerialization().unmarshal(text);
        return parsed instanceof List<?> list ? list.stream().map(HasMetadata.class::cast).collect(Collectors.toList())
                : List.of((HasMetadata) parsed);
    }

    @Test
    void theExampleChartRendersForBothColoursWithItsValuesFileAndSet() throws Exception {
        Path example = TestCharts.helmIstioExample();
        HelmRenderer.Request request = new HelmRenderer.Request(example.resolve("chart"), "chart", List.of(example.resolve("values-prod.yaml")),
                List.of("values-prod.yaml"), Map.of("image.tag", "1.4.7"), "environment", "production", "my-service");
        CandidateSource.PerColor rendered = render(request);

        for (Color color : Color.values()) {
            String text = rendered.forColor(color).text();
            List<HasMetadata> objects = objects(text);
            assertEquals(List.of("ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler"),
                    objects.stream().map(HasMetadata::getKind).collect(Collectors.toList()), "Helm's install order");
            Deployment d = (Deployment) objects.get(2);
            assertEquals("registry.example.com/production/my-service:1.4.7", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                    "image.tag from set");
            assertEquals(4, d.getSpec().getReplicas(), "values-prod.yaml over values.yaml");
            assertEquals(color.label(), d.getSpec().getTemplate().getMetadata().getLabels().get("environment"), "the colour value");
            assertEquals("my-service-" + color.label(), d.getMetadata().getLabels().get("app.kubernetes.io/instance"),
                    "the release is <service>-<colour>");
            ConfigMap config = (ConfigMap) objects.get(0);
            assertEquals(Map.of("ENVIRONMENT", color.label(), "LOG_LEVEL", "warn", "FEATURE_FLAGS", "checkout-v2"), config.getData());
            HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) objects.get(3);
            assertEquals("autoscaling/v2", hpa.getApiVersion());
            assertEquals(12, hpa.getSpec().getMaxReplicas());
            assertEquals("my-service", hpa.getSpec().getScaleTargetRef().getName());
            assertEquals(color.label(), ((Service) objects.get(1)).getSpec().getSelector().get("environment"));
        }
    }

    @Test
    void theExampleChartRefusesToRenderWithoutAnImageTag() {
        Path example = TestCharts.helmIstioExample();
        String message = failure(new HelmRenderer.Request(example.resolve("chart"), "chart", List.of(), List.of(), Map.of(),
                "environment", "production", "my-service"));
        assertEquals("Helm could not render the chart 'chart' for blue (release my-service-blue): execution error at "
                + "(my-service/templates/deployment.yaml:19:52): image.tag is required: set it to an immutable tag", message);
    }

    @Test
    void aChartOfADeploymentAndAServiceParsesAsAManifestForEachColour() throws Exception {
        Path chart = TestCharts.checkout(tmp.resolve("checkout"));
        Path values = TestCharts.write(tmp, "values-prod.yaml", "replicaCount: 5\n");
        CandidateSource.PerColor rendered = render(request(chart, List.of(values),
                Map.of("image.tag", "2.1.0", "image.repository", "registry.example.com/shop/checkout-ng"), "environment"));
        for (Color color : Color.values()) {
            Manifests.Parsed parsed = Manifests.parse(rendered.forColor(color).text());
            Deployment d = parsed.deployment();
            assertEquals("checkout-" + color.label(), d.getMetadata().getName());
            assertEquals(5, d.getSpec().getReplicas());
            Map<String, String> env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
            assertEquals(Map.of("COLOUR", color.label(), "RELEASE", "checkout-" + color.label(), "NAMESPACE", "shop"), env);
            assertEquals("registry.example.com/shop/checkout-ng:2.1.0", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertTrue(parsed.others().stream().anyMatch(o -> "Service".equals(o.getKind())), "and its Service");
        }
    }

    @Test
    void aPackagedChartRendersLikeItsFolder() throws Exception {
        Path chart = TestCharts.checkout(tmp.resolve("src/checkout"));
        Path tgz = tmp.resolve("checkout-0.1.0.tgz");
        Process tar = new ProcessBuilder("tar", "czf", tgz.toString(), "-C", chart.getParent().toString(), "checkout")
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor());
        CandidateSource.PerColor rendered = render(request(tgz, List.of(), Map.of("image.tag", "2.1.0"), "environment"));
        assertEquals("checkout-green", Manifests.parse(rendered.green()).deployment().getMetadata().getName());
    }

    @Test
    void withoutColorValueOnlyTheReleaseNameDiffers() throws Exception {
        Path chart = TestCharts.checkout(tmp.resolve("checkout"));
        CandidateSource.PerColor rendered = render(request(chart, List.of(), Map.of("image.tag", "2.1.0"), null));
        assertEquals(rendered.blue().replace("checkout-blue", "checkout-green"), rendered.green());
        assertTrue(rendered.green().contains("value: \"blue\""), "the chart's default for environment");
    }

    @Test
    void aTemplateErrorNamesTheChartTheTemplateAndTheLine() {
        String message = failure(request(TestCharts.templateError(tmp.resolve("broken")), List.of(), Map.of(), null));
        assertTrue(message.startsWith("Helm could not render the chart 'charts/broken' for blue (release checkout-blue): "), message);
        assertTrue(message.contains("broken/templates/configmap.yaml:6"), message);
        assertTrue(message.contains("nosuchfunction"), message);
        assertFalse(message.contains("\n") || message.contains("--debug"), "one line, without the helm command's advice: " + message);
    }

    @Test
    void aMissingRequiredValueNamesTheChartTheTemplateAndTheLine() {
        String message = failure(request(TestCharts.checkout(tmp.resolve("checkout")), List.of(), Map.of(), "environment"));
        assertTrue(message.startsWith("Helm could not render the chart 'charts/checkout' for blue"), message);
        assertTrue(message.contains("checkout/templates/deployment.yaml:16"), message);
        assertTrue(message.contains("image.tag is required"), message);
    }

    @Test
    void aBrokenValuesFileIsNamedAsTheUserNamedIt() throws Exception {
        Path values = TestCharts.write(tmp, "values-prod.yaml", "replicaCount: [\n");
        String message = failure(request(TestCharts.checkout(tmp.resolve("checkout")), List.of(values), Map.of("image.tag", "1.0.0"), null));
        assertTrue(message.contains("ws/values-prod.yaml"), message);
        assertFalse(message.contains(tmp.toString()), "no path of the controller's: " + message);
    }

    @Test
    void setValuesAreMaskedInErrors() {
        Path chart = TestCharts.configMapOf(tmp.resolve("fails"), "fails", "fail (printf \"cannot log in with %s\" .Values.db.password)");
        String secret = "s3cr3t-Passw0rd";
        Map<String, String> set = new LinkedHashMap<>();
        set.put("db.password", secret);
        String message = failure(request(chart, List.of(), set, null));
        assertTrue(message.contains("cannot log in with ****"), message);
        assertFalse(message.contains(secret), message);
    }

    /**
     * helm-java's template command lets lookup query the cluster of the process's environment (it reached
     * http://localhost:8080 here before the renderer gave its child a cluster of its own). In the child that cluster is
     * an empty one on its loopback: lookup answers empty, as under {@code helm template}, for one object and for a list.
     */
    @Test
    void lookupAnswersEmptyWithoutReachingACluster() throws Exception {
        Path one = TestCharts.configMapOf(tmp.resolve("looks-up"), "looks-up", "lookup \"v1\" \"Secret\" \"jenkins\" \"controller\"");
        ConfigMap c = (ConfigMap) objects(render(request(one, List.of(), Map.of(), null)).blue()).get(0);
        assertEquals("{}", c.getData().get("v"), "no such Secret: an empty answer");
        Path all = TestCharts.configMapOf(tmp.resolve("lists"), "lists", "lookup \"apps/v1\" \"Deployment\" \"\" \"\"");
        ConfigMap list = (ConfigMap) objects(render(request(all, List.of(), Map.of(), null)).green()).get(0);
        assertEquals("{}", list.getData().get("v"), "no Deployments anywhere: an empty answer");
    }

    @Test
    void dnsFunctionsAnswerNothing() throws Exception {
        Path chart = TestCharts.configMapOf(tmp.resolve("dns"), "dns", "getHostByName \"localhost\"");
        ConfigMap c = (ConfigMap) objects(render(request(chart, List.of(), Map.of(), null)).blue()).get(0);
        assertEquals("\"\"", c.getData().get("v"), "localhost is not resolved: Helm's DNS functions are off");
    }

    @Test
    void aDependencyThatIsNotVendoredFailsInsteadOfBeingDownloaded() {
        String message = failure(request(TestCharts.withDependency(tmp.resolve("dep")), List.of(), Map.of(), null));
        assertTrue(message.contains("its dependencies are not in its charts/ folder (redis)"), message);
        assertTrue(message.contains("helm dependency build"), message);
    }

    @Test
    void hooksAndTestsAreNotRendered() throws Exception {
        Path chart = TestCharts.checkout(tmp.resolve("checkout"));
        TestCharts.write(chart, "templates/migrate.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
                + "    helm.sh/hook: pre-install,pre-upgrade\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n"
                + "      containers: [{name: m, image: 'busybox:1.36'}]\n");
        TestCharts.write(chart, "templates/tests/ping.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ping\n  annotations:\n"
                + "    helm.sh/hook: test\nspec:\n  containers: [{name: p, image: 'busybox:1.36'}]\n");
        String text = render(request(chart, List.of(), Map.of("image.tag", "1.0.0"), null)).blue();
        assertEquals(List.of("Deployment", "Service"), objects(text).stream().map(HasMetadata::getKind).sorted().collect(Collectors.toList()));
    }

    @Test
    void onlyLinuxAmd64HasAnEngineInThisBuild() throws Exception {
        ClassLoader loader = HelmRenderer.class.getClassLoader();
        assertEquals("linux-amd64", HelmPlatform.of("Linux", "amd64", loader).label());
        assertEquals("linux-amd64", HelmPlatform.of("Linux", "x86_64", loader).label());
        String mac = assertThrows(HelmException.class, () -> HelmPlatform.of("Mac OS X", "aarch64", loader)).getMessage();
        assertTrue(mac.contains("runs on Mac OS X/aarch64 (os.name/os.arch)") && mac.contains("linux-amd64 only"), mac);
        String arm = assertThrows(HelmException.class, () -> HelmPlatform.of("Linux", "aarch64", loader)).getMessage();
        assertTrue(arm.contains("Linux/aarch64") && arm.contains("linux-arm64 engine is not in this build"), arm);
        assertThrows(HelmException.class, () -> HelmPlatform.of("Windows 11", "amd64", loader));
    }

    @Test
    void theChildsClassPathIsMadeOfLocalJarsAndFolders() throws Exception {
        assertEquals(Path.of("/opt/jenkins/plugins/x/WEB-INF/lib/helm-java-0.0.21.jar").toString(), HelmRenderer.classPathEntry(
                new URL("jar:file:/opt/jenkins/plugins/x/WEB-INF/lib/helm-java-0.0.21.jar!/com/marcnuri/helm/TemplateCommand.class"),
                "com/marcnuri/helm/TemplateCommand.class"));
        assertEquals(Path.of("/work/target/classes").toString(), HelmRenderer.classPathEntry(
                new URL("file:/work/target/classes/io/x/A.class"), "io/x/A.class"));
        assertNull(HelmRenderer.classPathEntry(new URL("http://example.com/a.jar"), "a"));
        assertEquals(HelmRenderMain.class.getName(), HelmRenderer.MAIN);
        String cp = HelmRenderer.classPath(HelmRenderer.class.getClassLoader(), HelmPlatform.LINUX_AMD64);
        assertTrue(cp.contains("linux-amd64-") && cp.contains("jna-5.18.1.jar") && cp.contains("helm-java-"), cp);
    }
}
