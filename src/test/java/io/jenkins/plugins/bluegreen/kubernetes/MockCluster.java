package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TEST CODE: a fabric8 {@link KubernetesMockServer} in CRUD mode on 127.0.0.1 over plain HTTP, with a client whose
 * request timeout is 5 s (so a mock that never answers fails a test quickly). One per test class; tests isolate
 * themselves in fresh namespaces ({@link #newNamespace}). The dispatcher ({@link ServiceProxy}) is CRUD plus
 * expectations, so a test can make one request fail, e.g. {@code server.expect().put().withPath(...).andReturn(409, ...).once()},
 * plus a service proxy that reaches the server a test or the lab registers in {@link #pods} for a Service's ready pods.
 */
public final class MockCluster implements AutoCloseable {

    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    /** The local servers that play pods, for the service proxy. */
    public final PodBackends pods;

    private MockCluster(KubernetesMockServer server, KubernetesClient client, PodBackends pods) {
        this.server = server;
        this.client = client;
        this.pods = pods;
    }

    /** On a port the kernel picks: what every test uses. */
    public static MockCluster start() {
        return start(0);
    }

    /** On 127.0.0.1:{@code port} (0 for any); a taken port fails here. */
    public static MockCluster start(int port) {
        MOCK_LOG.setLevel(Level.WARNING); // one INFO line per request otherwise
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        PodBackends pods = new PodBackends();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new ServiceProxy(expectations, pods), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        KubernetesClient client = server.createClient(b -> b.editOrNewConfig()
                .withRequestTimeout(5_000)
                .withConnectionTimeout(5_000)
                .withRequestRetryBackoffLimit(0)
                .endConfig());
        return new MockCluster(server, client, pods);
    }

    /** A fresh namespace, with its Namespace object (the mock does not create them). */
    public String newNamespace() {
        String ns = "ns-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        return ns;
    }

    /**
     * Puts {@code server} behind a Service, as a test's stand-in for an application: the Service {@code name} in
     * {@code namespace} selecting {@code app: <name>}, one ready pod carrying that label, and {@code server} playing the
     * pod. A smoke test through the service proxy then reaches {@code server}.
     */
    public void serveBehindService(String namespace, String name, URI server) {
        Map<String, String> labels = Map.of("app", name);
        if (client.services().inNamespace(namespace).withName(name).get() == null) {
            client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withSelector(labels).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec()
                    .build()).create();
        }
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name + "-0").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example.com/" + name + ":1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
        pods.register(namespace, labels, server);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
