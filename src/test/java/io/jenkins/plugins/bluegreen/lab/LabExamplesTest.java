package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.kubernetes.SimulatedControlPlane;
import io.jenkins.plugins.bluegreen.traffic.TrafficRouters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lab serves the examples as they are: their own objects and manifests make a working service on the mock API
 * server, and each example's Jenkinsfile, rewritten for the lab, names the lab and needs no repository.
 */
class LabExamplesTest {

    static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/lab")) && Files.isDirectory(p.resolve("src/main/java"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theExamplesObjectsAndManifestsMakeServicesTheEngineRollsOut() throws Exception {
        try (MockCluster mock = MockCluster.start()) {
            String ns = mock.newNamespace();
            try (SimulatedControlPlane controlPlane = new SimulatedControlPlane(mock.client, ns)) {
                RolloutEngine engine = new RolloutEngine(new FabricCluster(mock.client, Clock.systemUTC(), Duration.ofSeconds(30)),
                        Clock.systemUTC(), RolloutListener.NONE, EngineSettings.DEFAULTS);
                for (LabExamples.Served s : LabExamples.SERVED) {
                    LabExamples.applyObjects(mock.client, ns, examples(), s);
                    RolloutTarget target = new RolloutTarget(ns, s.service());
                    assertEquals(Weights.all(Color.BLUE), TrafficRouters.create(mock.client, ns, s.routerSpec()).read(),
                            s.directory() + ": the example's router object, as applied");
                    var first = engine.deploy(new DeploySpec(target, new CandidateSource.Manifest(
                            LabExamples.manifest(examples(), s, "1.0.0")), s.routerSpec(), null, Duration.ofSeconds(10), "test"))
                            .record();
                    assertEquals(Phase.STABLE, first.getPhase(), s.directory() + ": the first rollout from the example's manifest");
                    assertTrue(first.getStable().objects().stream().anyMatch(o -> o.startsWith("ConfigMap/") && o.endsWith("-blue"))
                            && first.getStable().objects().contains("HorizontalPodAutoscaler/" + s.service() + "-blue"),
                            s.directory() + ": the example's bundle, copied for blue: " + first.getStable().objects());
                    assertEquals(Phase.READY, engine.deploy(new DeploySpec(target, new CandidateSource.NewImage(
                            "registry.example.com/shop/" + s.service() + ":1.1.0-faulty", null), s.routerSpec(), null,
                            Duration.ofSeconds(10), "test")).record().getPhase(), s.directory() + ": a second version in green");
                    engine.shift(target, 50, "test");
                    assertEquals(Weights.of(Color.GREEN, 50), TrafficRouters.create(mock.client, ns, s.routerSpec()).read());
                }
                assertEquals(0, controlPlane.errors().size(), controlPlane.errors().toString());
            }
        }
    }

    @Test
    void everyExampleJenkinsfileIsRewrittenForTheLab() throws Exception {
        for (String example : LabExamples.JENKINSFILES) {
            String text = LabExamples.jenkinsfileForLab(examples(), example, "lab-ns");
            String code = text.replaceAll("(?m)^\\s*//.*$", ""); // the example's comments stay as they are
            assertFalse(code.contains("'prod'") || code.contains("'main'") || code.contains("'shop'"), example + ":\n" + text);
            assertFalse(text.contains("sh '"), example + " needs no shell and no repository:\n" + text);
            assertTrue(text.contains("cluster: 'lab'") && text.contains("'lab-ns'"), example + ":\n" + text);
        }
    }

    @Test
    void thePipelineWritesTheExamplesManifestExactly() throws Exception {
        Pattern write = Pattern.compile("writeFile file: '(k8s/[\\w.-]+)', text: \"\"\"\\\\\\n(.*?)\"\"\"", Pattern.DOTALL);
        for (LabExamples.Served s : LabExamples.SERVED) {
            String text = LabExamples.jenkinsfileForLab(examples(), s.directory(), "shop");
            Matcher m = write.matcher(text);
            assertTrue(m.find(), s.directory() + ":\n" + text);
            assertTrue(m.group(1).endsWith(".rendered.yaml"), m.group(1));
            // what Groovy makes of the string, with the build's IMAGE_TAG
            String rendered = m.group(2).replace("${env.IMAGE_TAG}", "1.4.7").replace("\\$", "$").replace("\\\\", "\\");
            assertEquals(LabExamples.manifest(examples(), s, "1.4.7"), rendered, s.directory());
            assertTrue(text.contains("prometheus: 'lab'"), text);
        }
    }
}
