package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
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
 * themselves in fresh namespaces ({@link #newNamespace}). The dispatcher is the mixed one (CRUD plus expectations):
 * a test can make one request fail, e.g. {@code server.expect().put().withPath(...).andReturn(409, ...).once()}.
 */
public final class MockCluster implements AutoCloseable {

    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    public final KubernetesMockServer server;
    public final KubernetesClient client;

    private MockCluster(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    public static MockCluster start() {
        MOCK_LOG.setLevel(Level.WARNING); // one INFO line per request otherwise
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        KubernetesClient client = server.createClient(b -> b.editOrNewConfig()
                .withRequestTimeout(5_000)
                .withConnectionTimeout(5_000)
                .withRequestRetryBackoffLimit(0)
                .endConfig());
        return new MockCluster(server, client);
    }

    /** A fresh namespace, with its Namespace object (the mock does not create them). */
    public String newNamespace() {
        String ns = "ns-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        return ns;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
