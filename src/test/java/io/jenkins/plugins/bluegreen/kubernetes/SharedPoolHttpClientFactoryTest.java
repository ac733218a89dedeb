package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientImpl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's clients run on OkHttp, as in Jenkins, and every connection's requests run on one shared pool: no thread
 * per client, closing one client leaves the others working, and the pool's idle threads end.
 */
class SharedPoolHttpClientFactoryTest {

    /** How long the mock holds each slow answer: the requests are in flight together meanwhile. */
    private static final long SLOW_MILLIS = 1500;
    private static final AtomicInteger CALLERS = new AtomicInteger();
    private static MockCluster mock;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private ExecutorService callers;
    private String namespace;

    @BeforeAll
    static void start() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    @BeforeEach
    void setUp() {
        callers = Executors.newCachedThreadPool(r -> new Thread(r, "test-caller-" + CALLERS.incrementAndGet()));
        namespace = mock.newNamespace();
        mock.client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("fast")
                .endMetadata().addToData("k", "v").build()).create();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(KubernetesClient::close);
        callers.shutdownNow();
    }

    /** A client of the plugin's; {@code token} tells the connections apart, as distinct credentials would. */
    private KubernetesClient connect(String token) {
        KubernetesClient c = KubernetesClients.connect(new ClusterAccess(URI.create(mock.client.getMasterUrl().toString()),
                null, false, namespace, new ClusterAuth.Token(token), Duration.ofSeconds(20)));
        clients.add(c);
        return c;
    }

    /** The mock answers GET .../configmaps/slow-N after SLOW_MILLIS; the request is recorded when it arrives. */
    private String slow(int n) {
        String name = "slow-" + n;
        mock.server.expect().get().delay(SLOW_MILLIS, TimeUnit.MILLISECONDS)
                .withPath("/api/v1/namespaces/" + namespace + "/configmaps/" + name)
                .andReturn(200, new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build()).once();
        return name;
    }

    private Future<ConfigMap> get(KubernetesClient client, String name) {
        return callers.submit(() -> client.configMaps().inNamespace(namespace).withName(name).get());
    }

    /** Polls until the mock has received {@code count} requests more than {@code before} (a generous deadline, no timing). */
    private static void awaitReceived(int before, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (mock.server.getRequestCount() < before + count) {
            assertTrue(System.nanoTime() < deadline, "the mock received " + (mock.server.getRequestCount() - before) + " of " + count);
            Thread.sleep(10);
        }
    }

    @Test
    void thePluginsClientIsOkHttpWithADispatcherOfItsOwnOverTheSharedPool() {
        KubernetesClient a = connect("token-a");
        KubernetesClient b = connect("token-b");
        OkHttpClientImpl httpA = assertInstanceOf(OkHttpClientImpl.class, a.getHttpClient());
        OkHttpClientImpl httpB = assertInstanceOf(OkHttpClientImpl.class, b.getHttpClient());
        assertInstanceOf(ExecutorView.class, httpA.getOkHttpClient().dispatcher().executorService());
        assertNotSame(httpA.getOkHttpClient().dispatcher(), httpB.getOkHttpClient().dispatcher());
        assertNotSame(httpA.getOkHttpClient().dispatcher().executorService(), httpB.getOkHttpClient().dispatcher().executorService());
        assertEquals(Integer.MAX_VALUE, httpA.getOkHttpClient().dispatcher().getMaxRequests());
        assertEquals(Integer.MAX_VALUE, httpA.getOkHttpClient().dispatcher().getMaxRequestsPerHost());
        assertEquals("v", a.configMaps().inNamespace(namespace).withName("fast").get().getData().get("k"));
    }

    /**
     * OkHttp leaves Nagle's algorithm on, and a request body over its 8 KB segments (a rollout record with its history)
     * then waited 40 ms for the server's delayed acknowledgement on every write: the plugin's sockets have it off.
     */
    @Test
    void theApiServersConnectionsHaveNaglesAlgorithmOffAndLargeWritesGoThrough() throws Exception {
        KubernetesClient a = connect("token-a");
        OkHttpClientImpl http = assertInstanceOf(OkHttpClientImpl.class, a.getHttpClient());
        try (java.net.Socket socket = http.getOkHttpClient().socketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay(), "TCP_NODELAY");
        }
        String large = "x".repeat(30_000);
        a.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("large").endMetadata()
                .addToData("history", large).build()).create();
        assertEquals(large, a.configMaps().inNamespace(namespace).withName("large").get().getData().get("history"));
    }

    /**
     * OkHttp names a thread "OkHttp &lt;url&gt;" while it runs a call: every thread running a call to this test's mock
     * while the requests are in flight is one of the shared pool (told by its class, whatever its name).
     */
    @Test
    void fourConnectionsWithRequestsInFlightTogetherUseOnlyTheSharedPool() throws Exception {
        URI server = URI.create(mock.client.getMasterUrl().toString());
        String callToThisMock = "OkHttp " + server.getScheme() + "://" + server.getHost() + ":" + server.getPort() + "/";
        int received = mock.server.getRequestCount();
        List<Future<ConfigMap>> answers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            KubernetesClient client = connect("token-" + c);
            for (int r = 0; r < 3; r++) {
                String name = slow(c * 3 + r);
                names.add(name);
                answers.add(get(client, name));
            }
        }
        awaitReceived(received, answers.size());
        List<Thread> runningCalls = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(callToThisMock)).toList();
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(names.get(i), answers.get(i).get(30, TimeUnit.SECONDS).getMetadata().getName());
        }

        assertTrue(runningCalls.size() >= answers.size(), "each request in flight runs on a thread of its own: " + runningCalls);
        for (Thread t : runningCalls) {
            assertTrue(SharedPoolHttpClientFactory.isPoolThread(t), t + " ran a call, and is not of the shared pool");
        }
    }

    @Test
    void closingOneClientLeavesAnotherWithARequestInFlightWorking() throws Exception {
        KubernetesClient closing = connect("token-closing");
        KubernetesClient working = connect("token-working");
        assertEquals("v", closing.configMaps().inNamespace(namespace).withName("fast").get().getData().get("k"));
        int received = mock.server.getRequestCount();
        Future<ConfigMap> inFlight = get(working, slow(100));
        awaitReceived(received, 1);

        closing.close();

        assertEquals("slow-100", inFlight.get(30, TimeUnit.SECONDS).getMetadata().getName(),
                "the other client's request in flight completes");
        assertEquals("v", working.configMaps().inNamespace(namespace).withName("fast").get().getData().get("k"),
                "and it makes new requests");
        ExecutorService closedView = ((OkHttpClientImpl) closing.getHttpClient()).getOkHttpClient().dispatcher().executorService();
        assertTrue(closedView.awaitTermination(30, TimeUnit.SECONDS), "the closed client's view was shut down");
    }

    /**
     * A request on a closed client is rejected at once, not taken for a lost connection and retried (for 19 s with the
     * plugin's retry bound), and says so.
     */
    @Test
    void aClosedClientsRequestsFailClearly() {
        KubernetesClient client = connect("token-closed");
        assertEquals("v", client.configMaps().inNamespace(namespace).withName("fast").get().getData().get("k"));
        client.close();
        int received = mock.server.getRequestCount();

        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace(namespace).withName("fast").get());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertInstanceOf(RejectedExecutionException.class, root, "rejected by the closed view, which fabric8 does not retry");
        URI server = URI.create(mock.client.getMasterUrl().toString());
        assertEquals("the client for the API server " + server.getHost() + ":" + server.getPort() + " was already closed: GET /api/v1/"
                + "namespaces/" + namespace + "/configmaps/fast was not sent", KubernetesClients.describe(e));
        assertEquals(received, mock.server.getRequestCount(), "nothing was sent");
    }

    /**
     * On a pool of its own made as the JVM-wide one but with a short idle time (the suite runs other classes beside this
     * one, whose requests may keep the JVM-wide pool busy): the threads that ran a client's requests end once idle.
     */
    @Test
    void thePoolsIdleThreadsEnd() throws Exception {
        assertArrayEquals(new long[] {0, SharedPoolHttpClientFactory.IDLE_SECONDS}, SharedPoolHttpClientFactory.poolSettings());
        ThreadPoolExecutor pool = SharedPoolHttpClientFactory.newPool(Duration.ofMillis(200));
        try (KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new SharedPoolHttpClientFactory(pool))
                .withConfig(KubernetesClients.config(new ClusterAccess(URI.create(mock.client.getMasterUrl().toString()), null, false,
                        namespace, new ClusterAuth.Token("token-idle"), Duration.ofSeconds(20)))).build()) {
            int received = mock.server.getRequestCount();
            Future<ConfigMap> a = get(client, slow(200));
            Future<ConfigMap> b = get(client, slow(201));
            awaitReceived(received, 2);
            assertTrue(pool.getPoolSize() >= 2, "each request in flight holds a thread of the pool");
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pool.getPoolSize() > 0) {
                assertTrue(System.nanoTime() < deadline, pool.getPoolSize() + " threads still in the pool");
                Thread.sleep(50);
            }
            assertFalse(pool.isShutdown(), "they ended idle, the pool is still there");
            assertEquals("v", client.configMaps().inNamespace(namespace).withName("fast").get().getData().get("k"),
                    "and it starts threads again when needed");
        } finally {
            pool.shutdownNow();
        }
    }
}
