package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input against a live service: each gets a specific error, and the cluster is exactly as it was (every
 * Deployment spec, Service, ConfigMap and router object unchanged; only the lock's Lease may have been taken and
 * released).
 */
class BadInputTest extends LabTest {

    private EngineLab lab;
    private RolloutEngine engine;

    /** A service with blue live and, when asked, green deployed and ready with no traffic. */
    private void liveService(RouterSpec.Kind kind, boolean withCandidate) {
        lab = lab(kind);
        engine = lab.engine();
        engine.deploy(lab.manifest("1.0.0"));
        if (withCandidate) {
            engine.deploy(lab.image("2.0.0"));
        }
    }

    private void refused(RolloutException.Kind kind, String expected, Executable operation) {
        Map<String, String> before = lab.snapshot();
        RolloutException e = assertThrows(RolloutException.class, operation);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' does not say '" + expected + "'");
        assertEquals(before, lab.snapshot(), "the cluster changed");
    }

    private DeploySpec manifest(String text) {
        return new DeploySpec(lab.target, new CandidateSource.Manifest(text), lab.router, null, Duration.ofSeconds(5), EngineLab.OWNER);
    }

    /**
     * Objects a colour cannot hold, each refused with why, before anything changes: what routes traffic between the
     * colours, what is cluster-scoped, kinds that are not part of a bundle, wrong API versions, another namespace.
     */
    @Test
    void bundleObjectsThatCannotBeCopiedPerColourAreRefused() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, false);
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: checkout\n",
                "the manifest holds a VirtualService (networking.istio.io/v1) 'checkout': objects that route traffic between"
                        + " the colours belong to the router");
        refusals.put("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: checkout\n",
                "HTTPRoute (gateway.networking.k8s.io/v1) 'checkout': objects that route traffic");
        refusals.put("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: checkout\n",
                "Ingress (networking.k8s.io/v1) 'checkout': objects that route traffic");
        refusals.put("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n",
                "ClusterRole (rbac.authorization.k8s.io/v1) 'reader', which is cluster-scoped");
        refusals.put("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n", "which is cluster-scoped");
        refusals.put("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n",
                "StatefulSet (apps/v1) 'db'; a colour holds one apps/v1 Deployment and any of ServiceAccount (v1), ConfigMap (v1),"
                        + " Secret (v1), Service (v1), PodDisruptionBudget (policy/v1), HorizontalPodAutoscaler (autoscaling/v2)");
        refusals.put("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: checkout\n",
                "the HorizontalPodAutoscaler 'checkout' has apiVersion 'autoscaling/v1'; only autoscaling/v2 is supported");
        refusals.put("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: elsewhere\n",
                "the ConfigMap 'config' of the manifest is for namespace 'elsewhere', but the rollout is in");
        refusals.put("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: checkout\nspec:\n"
                + "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: payments\n  maxReplicas: 4\n",
                "the HorizontalPodAutoscaler 'checkout' scales Deployment 'payments', not the manifest's Deployment");
        refusals.put("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: c\n", "the manifest holds the ConfigMap 'c' twice");
        refusals.forEach((object, message) -> refused(RolloutException.Kind.INVALID_INPUT, message,
                () -> engine.deploy(manifest(EngineLab.manifestText("2.0.0") + "---\n" + object))));
    }

    @Test
    void weightsOutOfRangeOrForTheWrongRouter() {
        liveService(RouterSpec.Kind.SERVICE_SELECTOR, true);
        refused(RolloutException.Kind.INVALID_INPUT, "from 0 to 100, got 101", () -> engine.shift(lab.target, 101, EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "from 0 to 100, got -5", () -> engine.shift(lab.target, -5, EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "switches all traffic at once: shift to 0 or 100 %, not 5 %",
                () -> engine.shift(lab.target, 5, EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "must sum to 100", () -> new Weights(50, 40));
    }

    @Test
    void mutableImagesAndBrokenManifests() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, false);
        refused(RolloutException.Kind.INVALID_INPUT, "uses the tag 'latest'", () -> engine.deploy(lab.image("latest")));
        refused(RolloutException.Kind.INVALID_INPUT, "has no tag", () -> engine.deploy(new DeploySpec(lab.target,
                new CandidateSource.NewImage("registry.example.com/shop/checkout", null), lab.router, null, null, EngineLab.OWNER)));
        refused(RolloutException.Kind.INVALID_INPUT, "latest",
                () -> engine.deploy(manifest(EngineLab.manifestText("latest"))));
        refused(RolloutException.Kind.INVALID_INPUT, "the manifest holds no Deployment", () -> engine.deploy(manifest(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: checkout\ndata:\n  a: b\n")));
        refused(RolloutException.Kind.INVALID_INPUT, "Deployment", () -> engine.deploy(manifest(
                EngineLab.manifestText("2.0.0") + "---\n" + EngineLab.manifestText("2.0.1"))));
        refused(RolloutException.Kind.INVALID_INPUT, "", () -> engine.deploy(manifest(
                "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n")));
        refused(RolloutException.Kind.INVALID_INPUT, "extensions/v1beta1", () -> engine.deploy(manifest(
                EngineLab.manifestText("2.0.0").replace("apps/v1", "extensions/v1beta1"))));
    }

    @Test
    void unknownNamespaceServiceAndRouterObject() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, false);
        refused(RolloutException.Kind.NOT_FOUND, "nowhere", () -> engine.deploy(new DeploySpec(new RolloutTarget("nowhere", "checkout"),
                new CandidateSource.Manifest(EngineLab.manifestText("2.0.0")), lab.router, null, null, EngineLab.OWNER)));
        refused(RolloutException.Kind.NOT_FOUND, "payments", () -> engine.deploy(new DeploySpec(new RolloutTarget(lab.namespace, "payments"),
                new CandidateSource.NewImage("registry.example.com/shop/payments:1.0.0", null),
                RouterSpec.serviceSelector("payments"), null, null, EngineLab.OWNER)));
        refused(RolloutException.Kind.NOT_FOUND, "no colour of " + lab.namespace + "/payments is live", () -> engine.deploy(
                new DeploySpec(new RolloutTarget(lab.namespace, "payments"), new CandidateSource.NewImage(
                        "registry.example.com/shop/payments:1.0.0", null), lab.router, null, null, EngineLab.OWNER)));
        refused(RolloutException.Kind.NOT_FOUND, "storefront", () -> engine.deploy(new DeploySpec(
                new RolloutTarget(lab.namespace, "payments"), new CandidateSource.Manifest(EngineLab.manifestText("2.0.0")),
                RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "storefront", "payments"), null, null, EngineLab.OWNER)));
    }

    @Test
    void aRouterOtherThanTheRecordsIsRefused() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, false);
        refused(RolloutException.Kind.INVALID_INPUT, "is routed by the Istio VirtualService 'checkout', but this rollout names "
                + "the selector of Service 'checkout'", () -> engine.deploy(new DeploySpec(lab.target,
                new CandidateSource.NewImage("registry.example.com/shop/checkout:2.0.0", null),
                RouterSpec.serviceSelector("checkout"), null, null, EngineLab.OWNER)));
    }

    @Test
    void aMissingStableColourStopsARolloutBeforeItStarts() {
        liveService(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, false);
        mock.client.apps().deployments().inNamespace(lab.namespace).withName("checkout-blue").delete();
        refused(RolloutException.Kind.NOT_FOUND, "the stable colour blue of " + lab.target + " has no Deployment",
                () -> engine.deploy(new DeploySpec(lab.target, new CandidateSource.Manifest(EngineLab.manifestText("2.0.0")),
                        lab.router, null, null, EngineLab.OWNER)));
    }

    @Test
    void rollbackWithNoStableColourLeftChangesNothing() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, true);
        engine.shift(lab.target, 5, EngineLab.OWNER);
        mock.client.apps().deployments().inNamespace(lab.namespace).withName("checkout-blue").delete();
        refused(RolloutException.Kind.NOT_FOUND, "the stable colour blue has no Deployment left (checkout-blue); traffic is unchanged",
                () -> engine.rollback(lab.target, "gate failed", null, EngineLab.OWNER));
        assertEquals(Weights.of(Color.GREEN, 5), lab.liveWeights());
    }

    @Test
    void phaseRules() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, true);
        engine.shift(lab.target, 50, EngineLab.OWNER);
        refused(RolloutException.Kind.WRONG_PHASE, "in progress (SHIFTED", () -> engine.deploy(lab.image("3.0.0")));
        refused(RolloutException.Kind.WRONG_PHASE, "cannot decommission the old colour while the rollout",
                () -> engine.decommission(lab.target, Duration.ZERO, EngineLab.OWNER));
        engine.promote(lab.target, EngineLab.OWNER);
        lab.clock.advance(Duration.ofMinutes(15));
        refused(RolloutException.Kind.WRONG_PHASE, "the bake time of 60 min 0 s has not passed: 45 min 0 s left",
                () -> engine.decommission(lab.target, Duration.ofHours(1), EngineLab.OWNER));
        refused(RolloutException.Kind.WRONG_PHASE, "cannot shift traffic while the rollout",
                () -> engine.shift(lab.target, 50, EngineLab.OWNER));
    }

    @Test
    void absurdDurationsAndCounts() {
        liveService(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, true);
        CandidateSource image = new CandidateSource.NewImage("registry.example.com/shop/checkout:2.0.0", null);
        refused(RolloutException.Kind.INVALID_INPUT, "must be positive, got -30 s",
                () -> new DeploySpec(lab.target, image, lab.router, null, Duration.ofSeconds(-30), EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "longer than the limit",
                () -> new DeploySpec(lab.target, image, lab.router, null, Duration.ofDays(2), EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "the bake time must be from 0 to 168 h, got -60 s",
                () -> engine.decommission(lab.target, Duration.ofMinutes(-1), EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "the bake time must be from 0 to 168 h",
                () -> engine.decommission(lab.target, Duration.ofDays(30), EngineLab.OWNER));
        refused(RolloutException.Kind.INVALID_INPUT, "replicas must be from 1 to 1000, got 0",
                () -> new DeploySpec(lab.target, image, lab.router, 0, null, EngineLab.OWNER));
    }
}
