package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutListener;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.LeaseLock;
import io.jenkins.plugins.bluegreen.traffic.IstioVirtualServiceRouter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TEST CODE: the services of the concurrency benchmark, {@code checkout} in namespaces {@code bench-N}, each routed by an
 * Istio VirtualService and with blue live after a first rollout (from a manifest, as a first rollout must be).
 */
final class BenchServices {

    private static final Clock CLOCK = Clock.systemUTC();

    private BenchServices() {
    }

    /** N namespaces with the service, its VirtualService and blue live (a first rollout each); not measured. */
    static List<RolloutTarget> setUp(SimulatedCluster cluster, int n) throws Exception {
        long started = System.nanoTime();
        List<RolloutTarget> targets = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        try (KubernetesClient client = cluster.newClient()) {
            RolloutEngine engine = new RolloutEngine(new FabricCluster(client, CLOCK, LeaseLock.DEFAULT_DURATION), CLOCK,
                    RolloutListener.NONE, EngineSettings.DEFAULTS);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RolloutTarget target = new RolloutTarget("bench-" + i, "checkout");
                targets.add(target);
                done.add(CompletableFuture.runAsync(() -> {
                    createService(client, target.namespace());
                    engine.deploy(firstSpec(target));
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "[concurrency] %d services set up in %.1f s%n", n, (System.nanoTime() - started) / 1e9);
        return targets;
    }

    static DeploySpec spec(RolloutTarget target, String version) {
        return new DeploySpec(target, new CandidateSource.NewImage("registry.example.com/shop/checkout:" + version, null),
                RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "checkout", "checkout"), 2, Duration.ofSeconds(60),
                "https://jenkins.example.com/job/bench/" + target.namespace() + "/");
    }

    /** The first rollout of a service comes from a manifest: there is no live colour to take an image from. */
    static DeploySpec firstSpec(RolloutTarget target) {
        String manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  labels: {app: checkout}\n"
                + "spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: checkout}\n  template:\n    metadata:\n"
                + "      labels: {app: checkout}\n    spec:\n      containers:\n      - name: app\n"
                + "        image: registry.example.com/shop/checkout:1.0.0\n";
        DeploySpec s = spec(target, "1.0.0");
        return new DeploySpec(target, new CandidateSource.Manifest(manifest), s.router(), null, s.readinessTimeout(), s.owner());
    }

    /** The namespace, the Service {@code checkout} and a VirtualService routing everything to checkout-blue. */
    static void createService(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName("checkout").endMetadata()
                .withNewSpec().addToSelector("app", "checkout")
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec()
                .build()).create();
        ResourceDefinitionContext vs = new ResourceDefinitionContext.Builder().withGroup(IstioVirtualServiceRouter.GROUP)
                .withVersion(IstioVirtualServiceRouter.VERSION).withPlural(IstioVirtualServiceRouter.PLURAL).withKind("VirtualService")
                .withNamespaced(true).build();
        client.genericKubernetesResources(vs).inNamespace(namespace).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("networking.istio.io/" + IstioVirtualServiceRouter.VERSION).withKind("VirtualService")
                .withNewMetadata().withName("checkout").withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", Map.of("hosts", List.of("checkout.example.com"), "http", List.of(Map.of("name", "main",
                        "route", List.of(Map.of("destination", Map.of("host", "checkout-blue", "port", Map.of("number", 80))))))))
                .build()).create();
    }
}
