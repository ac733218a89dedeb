package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Readiness;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.Workload;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesWorkloadsTest {

    private static final String IMAGE = "registry.example.com/shop/checkout:1.4.0";
    private static final String IMAGE2 = "registry.example.com/shop/checkout:1.5.0";
    private static final Duration FAILURE_TIMEOUT = Duration.ofMillis(1200);
    private static final Duration SUCCESS_TIMEOUT = Duration.ofSeconds(10);

    private static MockCluster cluster;
    private String ns;
    private KubernetesWorkloads workloads;
    private SimulatedControlPlane sim;

    @BeforeAll
    static void startServer() {
        cluster = MockCluster.start();
    }

    @AfterAll
    static void stopServer() {
        cluster.close();
    }

    @BeforeEach
    void namespace() {
        ns = cluster.newNamespace();
        workloads = new KubernetesWorkloads(cluster.client, ns, "checkout");
    }

    @AfterEach
    void stopSimulation() {
        if (sim != null) {
            List<Throwable> errors = sim.errors();
            sim.close();
            assertTrue(errors.isEmpty(), "the simulated control plane failed: " + errors);
        }
    }

    private SimulatedControlPlane simulate() {
        sim = new SimulatedControlPlane(cluster.client, ns);
        return sim;
    }

    private static CandidateSource.Manifest manifest(String image) {
        return new CandidateSource.Manifest(ManifestsTest.deployment(image));
    }

    private Deployment deployment(String name) {
        return cluster.client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private Service service(String name) {
        return cluster.client.services().inNamespace(ns).withName(name).get();
    }

    private List<Pod> pods(Color color) {
        return cluster.client.pods().inNamespace(ns).withLabel(Workloads.COLOR_LABEL, color.label()).list().getItems();
    }

    private void setStatus(String name, long observedGeneration, int replicas, int updated, int ready) {
        cluster.client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> new DeploymentBuilder(d)
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(observedGeneration).withReplicas(replicas)
                        .withUpdatedReplicas(updated).withReadyReplicas(ready).withAvailableReplicas(ready).build())
                .build());
    }

    // ---------------------------------------------------------------------------------------------- apply

    @Test
    void applyFromAManifestNamesLabelsScalesAndAnnotatesTheColour() {
        Workload w = workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 3);

        Deployment d = deployment("checkout-green");
        assertNotNull(d);
        assertEquals(ns, d.getMetadata().getNamespace());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), d.getMetadata().getLabels());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), d.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), d.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(3, d.getSpec().getReplicas());
        String revision = d.getMetadata().getAnnotations().get(Workloads.REVISION_ANNOTATION);
        assertTrue(revision.matches("[0-9a-f]{64}"), revision);
        assertNull(deployment("checkout"), "the manifest's own name is not used");

        assertEquals(new Workload(Color.GREEN, "checkout-green", IMAGE, revision, 3, 0,
                List.of("Deployment/checkout-green", "Service/checkout-green")), w);
        assertEquals(revision, workloads.validate(manifest(IMAGE), Color.BLUE), "validate predicts the revision");
    }

    @Test
    void theSameTemplateHasTheSameRevisionOnBothColours() {
        Workload blue = workloads.apply(Color.BLUE, manifest(IMAGE), null, 2);
        Workload green = workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 5);
        assertEquals(blue.revision(), green.revision());
        assertEquals(blue.revision(), deployment("checkout-green").getMetadata().getAnnotations().get(Workloads.REVISION_ANNOTATION));
        assertNotEquals(blue.revision(), workloads.validate(manifest(IMAGE2), Color.BLUE));
        // the colour label already in a manifest does not change the revision either
        String labelled = ManifestsTest.deployment(IMAGE).replace("        app: checkout\n    spec:",
                "        app: checkout\n        " + Workloads.COLOR_LABEL + ": blue\n    spec:");
        assertEquals(blue.revision(), workloads.validate(new CandidateSource.Manifest(labelled), Color.BLUE));
    }

    @Test
    void applyingTheSameSourceAgainWritesNothing() {
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        String deploymentVersion = deployment("checkout-green").getMetadata().getResourceVersion();
        String serviceVersion = service("checkout-green").getMetadata().getResourceVersion();

        Workload again = workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);

        assertEquals(deploymentVersion, deployment("checkout-green").getMetadata().getResourceVersion());
        assertEquals(serviceVersion, service("checkout-green").getMetadata().getResourceVersion());
        assertEquals(2, again.desired());
    }

    @Test
    void otherReplicasOnlyScaleAndKeepTheStatus() {
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        setStatus("checkout-green", 1, 2, 2, 2);
        Deployment before = deployment("checkout-green");

        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 4);

        Deployment after = deployment("checkout-green");
        assertEquals(4, after.getSpec().getReplicas());
        assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(2, after.getStatus().getReadyReplicas(), "the status written by the controller survives");
    }

    @Test
    void aDifferentTemplateReplacesTheDeployment() {
        Workload v1 = workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        Deployment before = deployment("checkout-green");

        Workload v2 = workloads.apply(Color.GREEN, manifest(IMAGE2), Color.BLUE, 2);

        Deployment after = deployment("checkout-green");
        assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid(), "updated in place");
        assertEquals(IMAGE2, after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertNotEquals(v1.revision(), v2.revision());
        assertEquals(v2.revision(), after.getMetadata().getAnnotations().get(Workloads.REVISION_ANNOTATION));
        assertTrue(after.getMetadata().getGeneration() > before.getMetadata().getGeneration());
    }

    private void conflictOnNextPuts(String deployment, int times) {
        cluster.server.expect().put().withPath("/apis/apps/v1/namespaces/" + ns + "/deployments/" + deployment)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("the object has been modified; please apply your changes to the latest version").build())
                .times(times);
    }

    @Test
    void aConflictingReplaceIsRetried() {
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        conflictOnNextPuts("checkout-green", 1);

        workloads.apply(Color.GREEN, manifest(IMAGE2), Color.BLUE, 2);

        assertEquals(IMAGE2, deployment("checkout-green").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void endlessConflictsGiveUp() {
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        conflictOnNextPuts("checkout-green", 5);

        RolloutException e = assertThrows(RolloutException.class, () -> workloads.apply(Color.GREEN, manifest(IMAGE2), Color.BLUE, 2));

        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        // the server, the request and the fault, never the body or the query
        assertTrue(e.getMessage().matches("cannot write Deployment 'checkout-green': the API server \\S+:\\d+ "
                + "answered HTTP 409 to PUT /apis/apps/v1/namespaces/[^/]+/deployments/checkout-green"), e.getMessage());
        assertEquals(IMAGE, deployment("checkout-green").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void aDeploymentWithoutTheAnnotationGetsTheRevisionOfItsTemplate() {
        String revision = workloads.validate(manifest(IMAGE), null);
        Deployment adopted = Manifests.parse(ManifestsTest.deployment(IMAGE)).deployment();
        adopted.getMetadata().setName("checkout-blue");
        adopted.getSpec().getTemplate().getMetadata().getLabels().put(Workloads.COLOR_LABEL, "blue");
        cluster.client.apps().deployments().inNamespace(ns).resource(adopted).create();

        assertEquals(revision, workloads.find(Color.BLUE).orElseThrow().revision());
    }

    @Test
    void aDifferentSelectorRecreatesTheDeployment() {
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        String before = deployment("checkout-green").getMetadata().getUid();
        String relabelled = ManifestsTest.deployment(IMAGE).replace("app: checkout", "app: checkout-v2");

        workloads.apply(Color.GREEN, new CandidateSource.Manifest(relabelled), Color.BLUE, 2);

        Deployment after = deployment("checkout-green");
        assertNotEquals(before, after.getMetadata().getUid(), "spec.selector is immutable: deleted and created again");
        assertEquals(Map.of("app", "checkout-v2", Workloads.COLOR_LABEL, "green"), after.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "checkout-v2", Workloads.COLOR_LABEL, "green"), service("checkout-green").getSpec().getSelector());
    }

    @Test
    void aNewImageCopiesTheStableColour() {
        String twoContainers = ManifestsTest.deployment(IMAGE).replace("      - name: app\n",
                "      - name: proxy\n        image: envoyproxy/envoy:v1.31.0\n      - name: app\n");
        workloads.apply(Color.BLUE, new CandidateSource.Manifest(twoContainers), null, 2);

        Workload green = workloads.apply(Color.GREEN, new CandidateSource.NewImage(IMAGE2, "app"), Color.BLUE, 3);

        Deployment blue = deployment("checkout-blue");
        Deployment d = deployment("checkout-green");
        assertEquals("envoyproxy/envoy:v1.31.0", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(IMAGE2, d.getSpec().getTemplate().getSpec().getContainers().get(1).getImage());
        assertEquals(IMAGE, blue.getSpec().getTemplate().getSpec().getContainers().get(1).getImage(), "the stable colour is untouched");
        assertEquals(blue.getSpec().getTemplate().getSpec().getContainers().get(1).getPorts(),
                d.getSpec().getTemplate().getSpec().getContainers().get(1).getPorts());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), d.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), d.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(3, d.getSpec().getReplicas());
        assertEquals("envoyproxy/envoy:v1.31.0", green.image(), "find() reports the first container");

        // the same image as blue gives blue's revision back: the colour label is not part of it
        Workload same = workloads.apply(Color.GREEN, new CandidateSource.NewImage(IMAGE, "app"), Color.BLUE, 3);
        assertEquals(blue.getMetadata().getAnnotations().get(Workloads.REVISION_ANNOTATION), same.revision());
    }

    @Test
    void aNewImageNeedsAContainerNameWhenThereAreSeveral() {
        String twoContainers = ManifestsTest.deployment(IMAGE).replace("      - name: app\n",
                "      - name: proxy\n        image: envoyproxy/envoy:v1.31.0\n      - name: app\n");
        workloads.apply(Color.BLUE, new CandidateSource.Manifest(twoContainers), null, 2);

        RolloutException none = assertThrows(RolloutException.class,
                () -> workloads.validate(new CandidateSource.NewImage(IMAGE2, null), Color.BLUE));
        assertEquals(RolloutException.Kind.INVALID_INPUT, none.kind());
        assertEquals("the Deployment 'checkout-blue' has 2 containers (proxy, app); name the one to change", none.getMessage());

        RolloutException wrong = assertThrows(RolloutException.class,
                () -> workloads.apply(Color.GREEN, new CandidateSource.NewImage(IMAGE2, "web"), Color.BLUE, 2));
        assertEquals(RolloutException.Kind.INVALID_INPUT, wrong.kind());
        assertEquals("the Deployment 'checkout-blue' has no container 'web' (containers: proxy, app)", wrong.getMessage());
        assertNull(deployment("checkout-green"));
    }

    @Test
    void aNewImageWithASingleContainerNeedsNoName() {
        workloads.apply(Color.BLUE, manifest(IMAGE), null, 2);
        Workload green = workloads.apply(Color.GREEN, new CandidateSource.NewImage(IMAGE2, null), Color.BLUE, 2);
        assertEquals(IMAGE2, green.image());
    }

    // ------------------------------------------------------------------------------------------- validate

    @Test
    void validateFindsMissingThingsWithoutWriting() {
        RolloutException noStable = assertThrows(RolloutException.class,
                () -> workloads.validate(new CandidateSource.NewImage(IMAGE2, null), Color.BLUE));
        assertEquals(RolloutException.Kind.NOT_FOUND, noStable.kind());
        assertEquals("the stable colour's Deployment 'checkout-blue' does not exist in namespace '" + ns + "'", noStable.getMessage());

        RolloutException firstRollout = assertThrows(RolloutException.class,
                () -> workloads.validate(new CandidateSource.NewImage(IMAGE2, null), null));
        assertEquals(RolloutException.Kind.NOT_FOUND, firstRollout.kind());

        RolloutException invalid = assertThrows(RolloutException.class,
                () -> workloads.validate(manifest("checkout:latest"), Color.BLUE));
        assertEquals(RolloutException.Kind.INVALID_INPUT, invalid.kind());

        String valid = workloads.validate(manifest(IMAGE), Color.BLUE);
        assertTrue(valid.matches("[0-9a-f]{64}"));
        assertTrue(cluster.client.apps().deployments().inNamespace(ns).list().getItems().isEmpty());
        assertTrue(cluster.client.services().inNamespace(ns).list().getItems().isEmpty());
    }

    @Test
    void aMissingNamespaceIsNotFound() {
        // The mock server has no Namespace object for this one (a real API server always has it for a namespace that exists).
        KubernetesWorkloads elsewhere = new KubernetesWorkloads(cluster.client, "no-such-namespace", "checkout");
        RolloutException e = assertThrows(RolloutException.class, () -> elsewhere.validate(manifest(IMAGE), null));
        assertEquals(RolloutException.Kind.NOT_FOUND, e.kind());
        assertEquals("the namespace 'no-such-namespace' does not exist", e.getMessage());
        RolloutException apply = assertThrows(RolloutException.class, () -> elsewhere.apply(Color.BLUE, manifest(IMAGE), null, 1));
        assertEquals(RolloutException.Kind.NOT_FOUND, apply.kind());
        assertTrue(cluster.client.apps().deployments().inNamespace("no-such-namespace").list().getItems().isEmpty());
    }

    @Test
    void aServiceNeedsPortsFromSomewhere() {
        String noPorts = ManifestsTest.deployment(IMAGE).replaceAll("(?s)        ports:.*", "");
        RolloutException e = assertThrows(RolloutException.class,
                () -> workloads.apply(Color.BLUE, new CandidateSource.Manifest(noPorts), null, 1));
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("cannot make the Service 'checkout-<color>'"), e.getMessage());
        assertNull(deployment("checkout-blue"), "nothing written");
    }

    // ------------------------------------------------------------------------------------- colour Service

    @Test
    void theColourServiceTakesItsPortsFromTheManifestsService() {
        workloads.apply(Color.GREEN, new CandidateSource.Manifest(ManifestsTest.deployment(IMAGE) + "---\n" + ManifestsTest.SERVICE),
                Color.BLUE, 2);
        Service s = service("checkout-green");
        assertEquals("ClusterIP", s.getSpec().getType());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), s.getSpec().getSelector());
        ServicePort p = s.getSpec().getPorts().get(0);
        assertEquals("web", p.getName());
        assertEquals(80, p.getPort());
        assertEquals(new IntOrString("http"), p.getTargetPort());
        assertNull(service("checkout"), "the main Service is the router's business");
    }

    @Test
    void theColourServiceTakesItsPortsFromTheMainService() {
        cluster.client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("checkout").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "checkout")).addNewPort().withName("grpc").withPort(9090)
                .withTargetPort(new IntOrString(9000)).endPort().endSpec().build()).create();

        workloads.apply(Color.BLUE, manifest(IMAGE), null, 1);

        ServicePort p = service("checkout-blue").getSpec().getPorts().get(0);
        assertEquals("grpc", p.getName());
        assertEquals(9090, p.getPort());
        assertEquals(new IntOrString(9000), p.getTargetPort());
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "blue"), service("checkout-blue").getSpec().getSelector());
    }

    @Test
    void theColourServiceTakesItsPortsFromTheContainers() {
        String unnamed = ManifestsTest.deployment(IMAGE).replace("        - name: http\n          containerPort: 8080\n",
                "        - name: http\n          containerPort: 8080\n        - containerPort: 9102\n");
        workloads.apply(Color.BLUE, new CandidateSource.Manifest(unnamed), null, 1);

        List<ServicePort> ports = service("checkout-blue").getSpec().getPorts();
        assertEquals(2, ports.size());
        assertEquals("http", ports.get(0).getName());
        assertEquals(8080, ports.get(0).getPort());
        assertEquals(new IntOrString(8080), ports.get(0).getTargetPort());
        assertEquals("tcp-9102", ports.get(1).getName());
        assertEquals(9102, ports.get(1).getPort());
    }

    @Test
    void aStaleColourServiceIsCorrected() {
        cluster.client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("checkout-blue").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "something-else")).addNewPort().withPort(1).endPort().endSpec().build()).create();

        workloads.apply(Color.BLUE, manifest(IMAGE), null, 1);

        Service s = service("checkout-blue");
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "blue"), s.getSpec().getSelector());
        assertEquals(8080, s.getSpec().getPorts().get(0).getPort());
    }

    // ---------------------------------------------------------------------------------------- find, scale

    @Test
    void findCountsOnlyReplicasOfTheCurrentGeneration() {
        assertTrue(workloads.find(Color.GREEN).isEmpty());
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 3);
        long generation = deployment("checkout-green").getMetadata().getGeneration();

        setStatus("checkout-green", generation, 3, 3, 3);
        assertEquals(3, workloads.find(Color.GREEN).orElseThrow().ready());
        assertEquals(100, workloads.find(Color.GREEN).orElseThrow().capacityPercent());

        setStatus("checkout-green", generation - 1, 3, 3, 3);
        assertEquals(0, workloads.find(Color.GREEN).orElseThrow().ready(), "an older generation's status");

        setStatus("checkout-green", generation, 3, 2, 3);
        assertEquals(0, workloads.find(Color.GREEN).orElseThrow().ready(), "not all replicas updated yet");

        setStatus("checkout-green", generation, 5, 3, 4);
        assertEquals(2, workloads.find(Color.GREEN).orElseThrow().ready(), "two ready pods belong to the old template");

        Workload w = workloads.find(Color.GREEN).orElseThrow();
        assertEquals("checkout-green", w.name());
        assertEquals(IMAGE, w.image());
        assertEquals(3, w.desired());
    }

    @Test
    void scaleChangesReplicasAndLeavesStatusAlone() {
        workloads.apply(Color.BLUE, manifest(IMAGE), null, 2);
        setStatus("checkout-blue", 1, 2, 2, 2);

        workloads.scale(Color.BLUE, 0);

        Deployment d = deployment("checkout-blue");
        assertEquals(0, d.getSpec().getReplicas());
        assertEquals(2, d.getStatus().getReadyReplicas(), "no main-resource PUT clobbered the status");

        workloads.scale(Color.GREEN, 3);
        assertNull(deployment("checkout-green"), "a missing Deployment stays missing");
        assertThrows(RolloutException.class, () -> workloads.scale(Color.BLUE, -1));
    }

    @Test
    void scaleToZeroAndBackWithTheSimulatedControlPlane() {
        simulate();
        workloads.apply(Color.BLUE, manifest(IMAGE), null, 2);
        assertTrue(workloads.awaitReady(Color.BLUE, SUCCESS_TIMEOUT).ready());
        assertEquals(2, pods(Color.BLUE).size());

        workloads.scale(Color.BLUE, 0);
        Readiness zero = workloads.awaitReady(Color.BLUE, SUCCESS_TIMEOUT);
        assertEquals(new Readiness(true, 0, 0, ""), zero);
        assertEquals(List.of(), pods(Color.BLUE));
        assertEquals(0, workloads.find(Color.BLUE).orElseThrow().capacityPercent());

        workloads.scale(Color.BLUE, 2);
        assertEquals(new Readiness(true, 2, 2, ""), workloads.awaitReady(Color.BLUE, SUCCESS_TIMEOUT));
        assertEquals(2, pods(Color.BLUE).size());
        assertEquals(2, workloads.find(Color.BLUE).orElseThrow().ready());
    }

    // ----------------------------------------------------------------------------------------- awaitReady

    @Test
    void awaitReadySucceedsWhenTheControlPlaneReportsAllReplicas() {
        simulate();
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 3);

        Readiness r = workloads.awaitReady(Color.GREEN, SUCCESS_TIMEOUT);

        assertEquals(new Readiness(true, 3, 3, ""), r);
        List<Pod> pods = pods(Color.GREEN);
        assertEquals(3, pods.size());
        for (Pod p : pods) {
            assertTrue(p.getMetadata().getName().startsWith("checkout-green-"), p.getMetadata().getName());
            assertEquals("checkout", p.getMetadata().getLabels().get("app"));
        }
        assertTrue(pods(Color.BLUE).isEmpty());
    }

    @Test
    void awaitReadyWaitsForANewTemplate() {
        simulate();
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, 2);
        assertTrue(workloads.awaitReady(Color.GREEN, SUCCESS_TIMEOUT).ready());

        sim.behave(IMAGE2, SimulatedControlPlane.crashLoop());
        workloads.apply(Color.GREEN, manifest(IMAGE2), Color.BLUE, 2);

        Readiness r = workloads.awaitReady(Color.GREEN, FAILURE_TIMEOUT);
        assertFalse(r.ready(), "the old template's ready pods do not count");
        assertEquals(0, r.readyReplicas());
    }

    @Test
    void awaitReadyOnAMissingDeploymentAnswersAtOnce() {
        Readiness r = workloads.awaitReady(Color.BLUE, Duration.ofSeconds(30));
        assertFalse(r.ready());
        assertEquals("the Deployment 'checkout-blue' does not exist in namespace '" + ns + "'.", r.diagnosis());
    }

    private Readiness notReady(SimulatedControlPlane.Behaviour behaviour, int replicas) {
        simulate().behave("checkout-green", behaviour);
        workloads.apply(Color.GREEN, manifest(IMAGE), Color.BLUE, replicas);
        Readiness r = workloads.awaitReady(Color.GREEN, FAILURE_TIMEOUT);
        assertFalse(r.ready(), r.toString());
        assertEquals(replicas, r.desired());
        return r;
    }

    @Test
    void aTimeoutExplainsPendingPods() {
        Readiness r = notReady(SimulatedControlPlane.unschedulableInsufficientCpu(), 3);
        assertEquals("0 of 3 replicas ready. 3 pods Pending: 0/3 nodes are available: 3 Insufficient cpu.", r.diagnosis());
    }

    @Test
    void aTimeoutExplainsImagePullErrors() {
        Readiness r = notReady(SimulatedControlPlane.imagePullBackOff(), 2);
        assertEquals("0 of 2 replicas ready. 2 pods cannot pull image " + IMAGE + " (ImagePullBackOff).", r.diagnosis());
    }

    @Test
    void aTimeoutExplainsACrashLoopWithoutLeakingTheEnvironment() {
        simulate().behave("checkout-green", SimulatedControlPlane.crashLoop());
        String withSecret = ManifestsTest.deployment(IMAGE).replace("        ports:\n",
                "        env:\n        - name: DB_PASSWORD\n          value: hunter2\n        ports:\n");
        workloads.apply(Color.GREEN, new CandidateSource.Manifest(withSecret), Color.BLUE, 1);

        Readiness r = workloads.awaitReady(Color.GREEN, FAILURE_TIMEOUT);

        assertEquals("0 of 1 replicas ready. 1 pod in CrashLoopBackOff: container 'app' restarted 4 times, last exit: Error "
                + "(exit code 1).", r.diagnosis());
        assertFalse(r.diagnosis().contains("hunter2"));
    }

    @Test
    void aTimeoutExplainsAFailingReadinessProbe() {
        Readiness r = notReady(SimulatedControlPlane.readinessProbeFailing(), 2);
        assertEquals("0 of 2 replicas ready. 2 pods not ready: Readiness probe failed: HTTP probe failed with statuscode: 503.",
                r.diagnosis());
    }

    @Test
    void aTimeoutExplainsExceededQuota() {
        Readiness r = notReady(SimulatedControlPlane.quotaExceeded(), 2);
        assertEquals("0 of 2 replicas ready. Pods cannot be created: exceeded quota: compute-resources, requested: cpu=500m, "
                + "used: cpu=2, limited: cpu=2.", r.diagnosis());
        assertTrue(pods(Color.GREEN).isEmpty());
    }

    @Test
    void aTimeoutWithPartialReadinessSaysHowMany() {
        Readiness r = notReady(new SimulatedControlPlane.PartlyReady(2), 3);
        assertEquals(2, r.readyReplicas());
        assertEquals("2 of 3 replicas ready. 1 pod Running but not ready.", r.diagnosis());
    }

    @Test
    void behavioursCanBeChosenByImage() {
        simulate().behave(IMAGE2, SimulatedControlPlane.imagePullBackOff());
        workloads.apply(Color.BLUE, manifest(IMAGE), null, 1);
        workloads.apply(Color.GREEN, manifest(IMAGE2), Color.BLUE, 1);
        assertTrue(workloads.awaitReady(Color.BLUE, SUCCESS_TIMEOUT).ready());
        Readiness green = workloads.awaitReady(Color.GREEN, FAILURE_TIMEOUT);
        assertEquals("0 of 1 replicas ready. 1 pod cannot pull image " + IMAGE2 + " (ImagePullBackOff).", green.diagnosis());
    }

    @Test
    void rejectsBadNames() {
        assertThrows(RolloutException.class, () -> new KubernetesWorkloads(cluster.client, "Not_A_Namespace", "checkout"));
        assertThrows(RolloutException.class, () -> new KubernetesWorkloads(cluster.client, "shop", "Checkout"));
    }
}
