package io.jenkins.plugins.bluegreen.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.kubernetes.FabricCluster;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.kubernetes.SimulatedControlPlane;
import io.jenkins.plugins.bluegreen.traffic.GatewayHttpRouteRouter;
import io.jenkins.plugins.bluegreen.traffic.IstioVirtualServiceRouter;
import io.jenkins.plugins.bluegreen.traffic.TrafficRouters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * TEST CODE: a namespace on the mock API server with the simulated control plane, the service {@code checkout}
 * (a Service selecting {@code app: checkout}), and the router object of the kind a test asks for. Engines built
 * here share the cluster but nothing else: each has its own client, as a second process would.
 *
 * <p>Engines run on a {@link MutableClock} that tests move by hand, or on a real clock for end-to-end tests that
 * wait in real time (the traffic lab, whose Prometheus only has data for the present).
 */
public final class EngineLab implements AutoCloseable {

    public static final String SERVICE = "checkout";
    public static final String OWNER = "https://jenkins.example.com/job/checkout/1/";

    public final MockCluster mock;
    public final String namespace;
    final SimulatedControlPlane controlPlane;
    /** The test clock; null when the lab runs on a real clock. */
    final MutableClock clock;
    private final Clock engineClock;
    public final RolloutTarget target;
    public final RouterSpec router;
    final List<RolloutEvent> events = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    EngineLab(MockCluster mock, RouterSpec.Kind kind) {
        this(mock, kind, null);
    }

    /** A lab whose engines run on {@code realClock} (e.g. {@link Clock#systemUTC()}); null for a {@link MutableClock}. */
    public EngineLab(MockCluster mock, RouterSpec.Kind kind, Clock realClock) {
        this.clock = realClock == null ? new MutableClock(Instant.parse("2026-11-22T10:00:00Z")) : null;
        this.engineClock = realClock == null ? clock : realClock;
        this.mock = mock;
        this.namespace = mock.newNamespace();
        this.target = new RolloutTarget(namespace, SERVICE);
        this.controlPlane = new SimulatedControlPlane(mock.client, namespace, Duration.ofMillis(10));
        mock.client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName(SERVICE).endMetadata()
                .withNewSpec().addToSelector("app", SERVICE)
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec()
                .build()).create();
        this.router = createRouter(kind);
    }

    private RouterSpec createRouter(RouterSpec.Kind kind) {
        switch (kind) {
            case ISTIO_VIRTUAL_SERVICE:
                mock.client.genericKubernetesResources(context(IstioVirtualServiceRouter.GROUP, IstioVirtualServiceRouter.VERSION,
                        IstioVirtualServiceRouter.PLURAL, "VirtualService")).inNamespace(namespace).resource(generic(
                                "networking.istio.io/" + IstioVirtualServiceRouter.VERSION, "VirtualService", Map.of(
                                        "hosts", List.of("checkout.example.com"),
                                        "http", List.of(
                                                Map.of("name", "health", "match", List.of(Map.of("uri", Map.of("prefix", "/healthz"))),
                                                        "route", List.of(Map.of("destination", Map.of("host", "health-checker")))),
                                                Map.of("name", "main", "route", List.of(Map.of("destination",
                                                        Map.of("host", SERVICE + "-blue", "port", Map.of("number", 80)))))))))
                        .create();
                return RouterSpec.byServices(kind, SERVICE, SERVICE);
            case GATEWAY_HTTP_ROUTE:
                mock.client.genericKubernetesResources(context(GatewayHttpRouteRouter.GROUP, GatewayHttpRouteRouter.VERSION,
                        GatewayHttpRouteRouter.PLURAL, "HTTPRoute")).inNamespace(namespace).resource(generic(
                                "gateway.networking.k8s.io/" + GatewayHttpRouteRouter.VERSION, "HTTPRoute", Map.of(
                                        "parentRefs", List.of(Map.of("name", "public-gateway")),
                                        "rules", List.of(Map.of("backendRefs",
                                                List.of(Map.of("name", SERVICE + "-blue", "port", 80, "weight", 1)))))))
                        .create();
                return RouterSpec.byServices(kind, SERVICE, SERVICE);
            default:
                return RouterSpec.serviceSelector(SERVICE);
        }
    }

    private GenericKubernetesResource generic(String apiVersion, String kind, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withNewMetadata().withName(SERVICE).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }

    static ResourceDefinitionContext context(String group, String version, String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(true).build();
    }

    /** The simulated control plane of this lab's namespace, e.g. to make a Deployment stay Pending. */
    public SimulatedControlPlane controlPlane() {
        return controlPlane;
    }

    /** An engine with a client of its own. */
    public RolloutEngine engine() {
        return engine(UnaryOperator.identity());
    }

    /** An engine with a client of its own that also tells {@code listener} about every event (the demo's live log). */
    public RolloutEngine engine(RolloutListener listener) {
        return engine(UnaryOperator.identity(), listener);
    }

    /** An engine whose ports pass through {@code decorate} (to inject crashes or conflicts). */
    RolloutEngine engine(UnaryOperator<Cluster> decorate) {
        return engine(decorate, RolloutListener.NONE);
    }

    private RolloutEngine engine(UnaryOperator<Cluster> decorate, RolloutListener listener) {
        return engine(decorate, listener, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    /** An engine whose client lists every HTTP request it sends to the API server in {@code requests} ("GET /api/..."). */
    RolloutEngine engineCounting(List<String> requests) {
        return engine(UnaryOperator.identity(), RolloutListener.NONE, requests);
    }

    private RolloutEngine engine(UnaryOperator<Cluster> decorate, RolloutListener listener, List<String> requests) {
        KubernetesClient client = mock.server.createClient(b -> b.withHttpClientFactory(KubernetesClients.httpClientFactory())
                .editOrNewConfig().withRequestTimeout(5_000).withRequestRetryBackoffLimit(0).endConfig()
                .withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("count", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
                        requests.add(request.method() + " " + request.uri().getPath());
                    }
                })));
        clients.add(client);
        Cluster cluster = decorate.apply(new FabricCluster(client, engineClock, Duration.ofSeconds(30)));
        return new RolloutEngine(cluster, engineClock, (t, e) -> {
            events.add(e);
            listener.onEvent(t, e);
        },
                new EngineSettings(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    public DeploySpec image(String tag) {
        return new DeploySpec(target, new CandidateSource.NewImage("registry.example.com/shop/checkout:" + tag, null), router, null,
                Duration.ofSeconds(5), OWNER);
    }

    public DeploySpec manifest(String tag) {
        return new DeploySpec(target, new CandidateSource.Manifest(manifestText(tag)), router, null, Duration.ofSeconds(5), OWNER);
    }

    static String manifestText(String tag) {
        return "apiVersion: apps/v1\n"
                + "kind: Deployment\n"
                + "metadata:\n"
                + "  name: checkout\n"
                + "  labels: {app: checkout}\n"
                + "spec:\n"
                + "  replicas: 3\n"
                + "  selector:\n"
                + "    matchLabels: {app: checkout}\n"
                + "  template:\n"
                + "    metadata:\n"
                + "      labels: {app: checkout}\n"
                + "    spec:\n"
                + "      containers:\n"
                + "      - name: app\n"
                + "        image: registry.example.com/shop/checkout:" + tag + "\n"
                + "        ports:\n"
                + "        - containerPort: 8080\n";
    }

    public Weights liveWeights() {
        return TrafficRouters.create(mock.client, namespace, router).read();
    }

    Deployment deployment(Color color) {
        return mock.client.apps().deployments().inNamespace(namespace).withName(SERVICE + "-" + color.label()).get();
    }

    public int replicas(Color color) {
        Deployment d = deployment(color);
        return d == null ? -1 : d.getSpec().getReplicas();
    }

    String image(Color color) {
        return deployment(color).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    public RolloutRecord record() {
        return engine().status(target).orElseThrow();
    }

    /** Name and resourceVersion of every object a rollout may change (leases aside: taking a lock is bookkeeping). */
    Map<String, String> snapshot() {
        Map<String, String> versions = new TreeMap<>();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(mock.client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.services().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.configMaps().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.secrets().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.serviceAccounts().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
        all.addAll(mock.client.genericKubernetesResources(context(IstioVirtualServiceRouter.GROUP, IstioVirtualServiceRouter.VERSION,
                IstioVirtualServiceRouter.PLURAL, "VirtualService")).inNamespace(namespace).list().getItems());
        all.addAll(mock.client.genericKubernetesResources(context(GatewayHttpRouteRouter.GROUP, GatewayHttpRouteRouter.VERSION,
                GatewayHttpRouteRouter.PLURAL, "HTTPRoute")).inNamespace(namespace).list().getItems());
        for (HasMetadata o : all) {
            // The simulated controllers keep writing Deployment status: compare what a rollout writes, the spec.
            String version = o instanceof Deployment
                    ? "generation " + o.getMetadata().getGeneration() + ", replicas " + ((Deployment) o).getSpec().getReplicas()
                    : o.getMetadata().getResourceVersion();
            versions.put(o.getKind() + "/" + o.getMetadata().getName(), version);
        }
        return versions;
    }

    @Override
    public void close() {
        if (!controlPlane.errors().isEmpty()) {
            controlPlane.errors().forEach(Throwable::printStackTrace);
        }
        controlPlane.close();
        clients.forEach(KubernetesClient::close);
    }
}
