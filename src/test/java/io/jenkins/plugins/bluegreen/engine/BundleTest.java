package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A colour is a bundle (issue: real services): every object of the manifest copied per colour, every reference inside
 * the bundle pointed at the colour's copy, objects outside it left alone; decommission deletes exactly the old
 * colour's bundle; a rollback stops the candidate and keeps its objects; a configuration change rolls back with it.
 */
class BundleTest extends LabTest {

    /** A Deployment that refers to every kind of bundle object in every way a pod can, plus a Secret managed elsewhere. */
    static String bundle(String tag, String greeting) {
        return EngineLab.manifestText(tag).replace("      containers:\n", """
                      serviceAccountName: checkout-sa
                      imagePullSecrets:
                      - name: registry
                      initContainers:
                      - name: migrate
                        image: registry.example.com/shop/migrate:1.0.0
                        envFrom:
                        - configMapRef: {name: config}
                      volumes:
                      - name: files
                        configMap: {name: files}
                      - name: tls
                        secret: {secretName: tls}
                      - name: all
                        projected:
                          sources:
                          - configMap: {name: config}
                          - secret: {name: creds}
                      containers:
                """).replace("        ports:\n", """
                        env:
                        - name: GREETING
                          valueFrom: {configMapKeyRef: {name: config, key: greeting}}
                        - name: PASSWORD
                          valueFrom: {secretKeyRef: {name: creds, key: password}}
                        - name: DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: shared-db, key: password}}
                        envFrom:
                        - secretRef: {name: creds}
                        ports:
                """) + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config}
                data: {greeting: %s}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: files}
                data: {app.properties: "pool=5"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                stringData: {password: not-a-real-one}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: tls}
                type: Opaque
                data: {tls.crt: Y2VydA==}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: registry}
                data: {.dockerconfigjson: e30=}
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
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: checkout}
                spec:
                  minAvailable: 1
                  selector: {matchLabels: {app: checkout}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: checkout-admin}
                spec:
                  selector: {app: checkout}
                  ports: [{name: admin, port: 9090}]
                """.formatted(greeting);
    }

    private static DeploySpec deploy(EngineLab lab, String tag, String greeting) {
        return new DeploySpec(lab.target, new CandidateSource.Manifest(bundle(tag, greeting)), lab.router, null,
                Duration.ofSeconds(5), EngineLab.OWNER);
    }

    /** One row of the reference table: where in the pod spec, and what it must name for green. */
    private record Reference(String where, Function<PodSpec, String> read, String green) {}

    @Test
    void everyReferenceIntoTheBundleNamesTheColoursCopyAndOthersStayAsWritten() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(deploy(lab, "2.0.0", "hello"));
        List<Reference> table = List.of(
                new Reference("env valueFrom configMapKeyRef", p -> p.getContainers().get(0).getEnv().get(0).getValueFrom()
                        .getConfigMapKeyRef().getName(), "config-green"),
                new Reference("env valueFrom secretKeyRef", p -> p.getContainers().get(0).getEnv().get(1).getValueFrom()
                        .getSecretKeyRef().getName(), "creds-green"),
                new Reference("env valueFrom secretKeyRef, outside the bundle", p -> p.getContainers().get(0).getEnv().get(2)
                        .getValueFrom().getSecretKeyRef().getName(), "shared-db"),
                new Reference("envFrom secretRef", p -> p.getContainers().get(0).getEnvFrom().get(0).getSecretRef().getName(),
                        "creds-green"),
                new Reference("init container envFrom configMapRef", p -> p.getInitContainers().get(0).getEnvFrom().get(0)
                        .getConfigMapRef().getName(), "config-green"),
                new Reference("volume configMap", p -> p.getVolumes().get(0).getConfigMap().getName(), "files-green"),
                new Reference("volume secret", p -> p.getVolumes().get(1).getSecret().getSecretName(), "tls-green"),
                new Reference("projected configMap", p -> p.getVolumes().get(2).getProjected().getSources().get(0).getConfigMap()
                        .getName(), "config-green"),
                new Reference("projected secret", p -> p.getVolumes().get(2).getProjected().getSources().get(1).getSecret()
                        .getName(), "creds-green"),
                new Reference("imagePullSecrets", p -> p.getImagePullSecrets().get(0).getName(), "registry-green"),
                new Reference("serviceAccountName", PodSpec::getServiceAccountName, "checkout-sa-green"));
        PodSpec green = lab.deployment(Color.GREEN).getSpec().getTemplate().getSpec();
        PodSpec blue = lab.deployment(Color.BLUE).getSpec().getTemplate().getSpec();
        StringBuilder printed = new StringBuilder("[bundle] reference | blue | green\n");
        for (Reference r : table) {
            printed.append(String.format("[bundle] %-45s | %-18s | %s%n", r.where(), r.read().apply(blue), r.read().apply(green)));
        }
        System.out.print(printed);
        for (Reference r : table) {
            assertEquals(r.green(), r.read().apply(green), r.where());
            String blueName = r.green().endsWith("-green") ? r.green().replace("-green", "-blue") : r.green();
            assertEquals(blueName, r.read().apply(blue), r.where() + " of blue");
        }

        KubernetesClient k = lab.mock.client;
        HorizontalPodAutoscaler hpaGreen = k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace)
                .withName("checkout-green").get();
        assertEquals("checkout-green", hpaGreen.getSpec().getScaleTargetRef().getName(), "each colour's autoscaler scales its own");
        assertEquals("checkout-blue", k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace)
                .withName("checkout-blue").get().getSpec().getScaleTargetRef().getName());
        PodDisruptionBudget pdb = k.policy().v1().podDisruptionBudget().inNamespace(lab.namespace).withName("checkout-green").get();
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), pdb.getSpec().getSelector().getMatchLabels());
        Service admin = k.services().inNamespace(lab.namespace).withName("checkout-admin-green").get();
        assertEquals(Map.of("app", "checkout", Workloads.COLOR_LABEL, "green"), admin.getSpec().getSelector());
        ConfigMap config = k.configMaps().inNamespace(lab.namespace).withName("config-green").get();
        assertEquals("green", config.getMetadata().getLabels().get(Workloads.COLOR_LABEL));
        assertEquals("config", config.getMetadata().getAnnotations().get("bluegreen.jenkins.io/source-name"));
        assertNull(k.configMaps().inNamespace(lab.namespace).withName("config").get(), "the manifest's own names are not used");
        assertEquals(2, lab.replicas(Color.GREEN) >= 2 ? 2 : lab.replicas(Color.GREEN), "at least the autoscaler's minimum");

        RolloutRecord record = lab.record();
        assertTrue(record.getCandidate().objects().containsAll(List.of("Deployment/checkout-green", "Service/checkout-green",
                "ConfigMap/config-green", "Secret/creds-green", "ServiceAccount/checkout-sa-green",
                "HorizontalPodAutoscaler/checkout-green", "PodDisruptionBudget/checkout-green", "Service/checkout-admin-green")),
                "the record lists what green owns: " + record.getCandidate().objects());
        assertTrue(record.getStable().objects().contains("ConfigMap/config-blue"), "and blue: " + record.getStable().objects());
    }

    @Test
    void whileTheAutoscalerRunsTheColourCapacityReadsItsReplicas() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(deploy(lab, "2.0.0", "hello"));
        Workloads workloads = new io.jenkins.plugins.bluegreen.kubernetes.KubernetesWorkloads(lab.mock.client, lab.namespace,
                EngineLab.SERVICE);
        Workload before = workloads.find(Color.GREEN).orElseThrow();
        assertEquals(100, before.capacityPercent(), before.toString());
        // the autoscaler wants twice what runs: green can carry half of what it should
        lab.mock.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace).withName("checkout-green")
                .editStatus(h -> new HorizontalPodAutoscalerBuilder(h).withNewStatus().withCurrentReplicas(before.ready())
                        .withDesiredReplicas(before.ready() * 2).endStatus().build());
        Workload wanted = workloads.find(Color.GREEN).orElseThrow();
        assertEquals(before.ready() * 2, wanted.desired());
        assertEquals(50, wanted.capacityPercent());
        RolloutException refused = org.junit.jupiter.api.Assertions.assertThrows(RolloutException.class,
                () -> engine.shift(lab.target, 60, EngineLab.OWNER));
        assertTrue(refused.getMessage().contains("can carry at most 50 % of the traffic; refusing to give it 60 %"),
                refused.getMessage());
    }

    /**
     * Decommission after the bake deletes the old colour's bundle, by label, and nothing else: not the serving colour's,
     * not another service's, not an object of the user's with the same names, not the rollout record.
     */
    @Test
    void decommissionDeletesExactlyTheOldColoursBundle() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        KubernetesClient k = lab.mock.client;
        k.configMaps().inNamespace(lab.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("config")
                .addToLabels(Workloads.COLOR_LABEL, "blue").endMetadata().addToData("mine", "yes").build()).create();
        k.configMaps().inNamespace(lab.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("payments-config-blue")
                .addToLabels(Workloads.COLOR_LABEL, "blue").addToLabels("bluegreen.jenkins.io/bundle", "payments").endMetadata()
                .build()).create();
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(deploy(lab, "2.0.0", "hello"));
        List<String> blueBundle = names(lab, "blue");
        assertEquals(List.of("ConfigMap/config-blue", "ConfigMap/files-blue", "HorizontalPodAutoscaler/checkout-blue",
                "PodDisruptionBudget/checkout-blue", "Secret/creds-blue", "Secret/registry-blue", "Secret/tls-blue",
                "Service/checkout-admin-blue", "ServiceAccount/checkout-sa-blue"), blueBundle);
        engine.shift(lab.target, 100, EngineLab.OWNER);
        engine.promote(lab.target, EngineLab.OWNER);
        Map<String, String> before = lab.snapshot();

        engine.decommission(lab.target, Duration.ZERO, EngineLab.OWNER);

        assertEquals(List.of(), names(lab, "blue"), "blue's bundle is gone");
        Map<String, String> after = lab.snapshot();
        Map<String, String> gone = new LinkedHashMap<>(before);
        gone.keySet().removeAll(after.keySet());
        assertEquals(blueBundle, new ArrayList<>(gone.keySet()), "and nothing else");
        assertNotNull(k.configMaps().inNamespace(lab.namespace).withName("config").get(), "the user's own object");
        assertNotNull(k.configMaps().inNamespace(lab.namespace).withName("payments-config-blue").get(), "another service's");
        assertEquals(9, names(lab, "green").size(), "green's bundle serves on");
        assertEquals(0, lab.replicas(Color.BLUE), "blue's Deployment stays, at zero");
        assertEquals(Phase.STABLE, lab.record().getPhase());
    }

    /** A rollback stops the candidate: its autoscaler goes (it would scale green back up), its other objects stay. */
    @Test
    void aRollbackServesTheOldConfigurationAgainAndKeepsTheCandidatesObjectsAtZero() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(deploy(lab, "1.0.0", "bonjour")); // the same image: only the configuration changed
        assertTrue(!lab.record().getCandidate().revision().equals(lab.record().getStable().revision()),
                "a configuration change is a new revision");
        engine.shift(lab.target, 50, EngineLab.OWNER);

        engine.rollback(lab.target, "the new greeting confuses customers", null, EngineLab.OWNER);

        KubernetesClient k = lab.mock.client;
        assertEquals(Weights.all(Color.BLUE), lab.liveWeights());
        Deployment blue = lab.deployment(Color.BLUE);
        assertEquals("config-blue", blue.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValueFrom()
                .getConfigMapKeyRef().getName());
        assertEquals("hello", k.configMaps().inNamespace(lab.namespace).withName("config-blue").get().getData().get("greeting"),
                "blue serves its own, old configuration");
        assertEquals("bonjour", k.configMaps().inNamespace(lab.namespace).withName("config-green").get().getData().get("greeting"),
                "green's is kept for diagnosis");
        assertEquals(0, lab.replicas(Color.GREEN));
        assertNull(k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace).withName("checkout-green").get());
        assertEquals(8, names(lab, "green").size(), "everything else of green's bundle stays");
    }

    /** A new image copies the stable colour's ConfigMaps and Secrets instead of reading them. */
    @Test
    void aNewImageGetsCopiesOfTheStableColoursBundle() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(lab.image("2.0.0"));
        KubernetesClient k = lab.mock.client;
        PodSpec green = lab.deployment(Color.GREEN).getSpec().getTemplate().getSpec();
        assertEquals("registry.example.com/shop/checkout:2.0.0", green.getContainers().get(0).getImage());
        assertEquals("config-green", green.getContainers().get(0).getEnv().get(0).getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("checkout-sa-green", green.getServiceAccountName());
        assertEquals("shared-db", green.getContainers().get(0).getEnv().get(2).getValueFrom().getSecretKeyRef().getName());
        assertEquals("hello", k.configMaps().inNamespace(lab.namespace).withName("config-green").get().getData().get("greeting"));
        assertEquals("checkout-green", k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace)
                .withName("checkout-green").get().getSpec().getScaleTargetRef().getName());
        assertEquals(9, names(lab, "green").size());
    }

    /**
     * An object left from an earlier bundle of a colour, which the new bundle lacks, is deleted when the colour is
     * deployed again, while it is idle: a stale autoscaler or budget would act on the new Deployment. The serving
     * colour's objects are never touched.
     */
    @Test
    void anObjectAnEarlierBundleLeftIsDeletedWhenItsColourIsDeployedAgainNeverWhileItServes() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        RolloutEngine engine = lab.engine();
        engine.deploy(deploy(lab, "1.0.0", "hello"));
        engine.deploy(deploy(lab, "2.0.0", "hello"));
        engine.rollback(lab.target, "not today", null, EngineLab.OWNER);
        KubernetesClient k = lab.mock.client;
        assertNotNull(k.configMaps().inNamespace(lab.namespace).withName("files-green").get(), "kept for diagnosis");
        String lean = bundle("2.0.1", "hello").replace("""
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: files}
                data: {app.properties: "pool=5"}
                """, "\n").replace("""
                      - name: files
                        configMap: {name: files}
                """, "\n").replace("""
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: checkout}
                """, "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unused}\n");
        assertTrue(!lean.contains("name: files") && !lean.contains("HorizontalPodAutoscaler"), "the new bundle lacks both");
        Map<String, String> blueBefore = new LinkedHashMap<>();
        for (String o : names(lab, "blue")) {
            blueBefore.put(o, "present");
        }

        engine.deploy(new DeploySpec(lab.target, new CandidateSource.Manifest(lean), lab.router, null, Duration.ofSeconds(5),
                EngineLab.OWNER));

        assertNull(k.configMaps().inNamespace(lab.namespace).withName("files-green").get(), "the earlier bundle's ConfigMap");
        assertNull(k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace).withName("checkout-green").get(),
                "no autoscaler left to fight the new Deployment");
        assertEquals(List.copyOf(blueBefore.keySet()), names(lab, "blue"), "the serving colour's objects are untouched");
        assertEquals(List.of("ConfigMap/config-green", "ConfigMap/unused-green", "PodDisruptionBudget/checkout-green",
                "Secret/creds-green", "Secret/registry-green", "Secret/tls-green", "Service/checkout-admin-green",
                "ServiceAccount/checkout-sa-green"), names(lab, "green"));
    }

    /** {@code Kind/name} of the objects copied for a colour, sorted. */
    private static List<String> names(EngineLab lab, String color) {
        KubernetesClient k = lab.mock.client;
        Map<String, String> labels = Map.of("bluegreen.jenkins.io/bundle", EngineLab.SERVICE, Workloads.COLOR_LABEL, color);
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k.configMaps().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        all.addAll(k.secrets().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        all.addAll(k.serviceAccounts().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        all.addAll(k.services().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        all.addAll(k.autoscaling().v2().horizontalPodAutoscalers().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        all.addAll(k.policy().v1().podDisruptionBudget().inNamespace(lab.namespace).withLabels(labels).list().getItems());
        return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
    }
}
