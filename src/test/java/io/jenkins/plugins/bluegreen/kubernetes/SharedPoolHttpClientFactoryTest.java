package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientImpl;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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

    /** Live threads by id, with their names. */
    private static Map<Long, String> liveThreads() {
        Map<Long, String> threads = new TreeMap<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                threads.put(t.getThreadId(), t.getThreadName());
            }
        }
        return threads;
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
     * OkHttp names a thread "OkHttp &lt;url&gt;" while it runs a call, and gives it its name back after: so the threads
     * that ran the calls are told by their names once the calls are over.
     */
    @Test
    void fourConnectionsWithRequestsInFlightTogetherUseOnlyTheSharedPool() throws Exception {
        Map<Long, String> before = liveThreads();
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
        Map<Long, String> during = liveThreads();
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(names.get(i), answers.get(i).get(30, TimeUnit.SECONDS).getMetadata().getName());
        }
        Map<Long, String> after = liveThreads();

        List<Long> runningCalls = during.entrySet().stream().filter(t -> t.getValue().startsWith("OkHttp http"))
                .map(Map.Entry::getKey).toList();
        assertTrue(runningCalls.size() >= answers.size(), "each request in flight runs on a thread: " + during);
        for (Long id : runningCalls) {
            assertTrue(after.getOrDefault(id, SharedPoolHttpClientFactory.THREAD_PREFIX).startsWith(SharedPoolHttpClientFactory.THREAD_PREFIX),
                    "a call ran on " + after.get(id) + ", not on the shared pool");
        }
        List<String> perClient = during.entrySet().stream().filter(t -> !before.containsKey(t.getKey()))
                .map(Map.Entry::getValue).filter(n -> n.startsWith("OkHttp Dispatcher") || n.startsWith("vert.x-")
                        || n.startsWith("vertx-")).toList();
        assertEquals(List.of(), perClient, "no client starts a thread of its own");
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

    @Test
    void thePoolsIdleThreadsEnd() throws Exception {
        assertEquals(Duration.ofSeconds(SharedPoolHttpClientFactory.IDLE_SECONDS), SharedPoolHttpClientFactory.idleTime());
        KubernetesClient client = connect("token-idle");
        int received = mock.server.getRequestCount();
        Future<ConfigMap> a = get(client, slow(200));
        Future<ConfigMap> b = get(client, slow(201));
        awaitReceived(received, 2);
        assertTrue(SharedPoolHttpClientFactory.poolThreads() >= 2);
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);

        SharedPoolHttpClientFactory.idleTime(Duration.ofMillis(200)); // the same ending as after 10 s, sooner
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (SharedPoolHttpClientFactory.poolThreads() > 0) {
                assertTrue(System.nanoTime() < deadline, SharedPoolHttpClientFactory.poolThreads() + " threads still in the pool");
                Thread.sleep(50);
            }
            assertTrue(liveThreads().values().stream().noneMatch(n -> n.startsWith(SharedPoolHttpClientFactory.THREAD_PREFIX)),
                    String.valueOf(liveThreads()));
        } finally {
            SharedPoolHttpClientFactory.idleTime(Duration.ofSeconds(SharedPoolHttpClientFactory.IDLE_SECONDS));
        }
    }
}
