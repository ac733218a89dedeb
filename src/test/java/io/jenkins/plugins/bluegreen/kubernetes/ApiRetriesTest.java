package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Fault;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Request;
import io.jenkins.plugins.bluegreen.testinfra.FaultProxy.Times;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's own client (as {@link KubernetesClients#connect} builds it) between a fault proxy and the mock API
 * server: 429 and 5xx are retried with growing pauses, Retry-After is waited out, and what cannot be retried says which
 * server, which request and which fault. Only lower bounds of time are asserted: a busy machine only makes them larger.
 */
class ApiRetriesTest {

    private static MockCluster mock;
    private FaultProxy proxy;
    private KubernetesClient client;
    private String namespace;

    @BeforeAll
    static void startMock() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @BeforeEach
    void connect() {
        namespace = mock.newNamespace();
        mock.client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("app")
                .endMetadata().addToData("a", "b").build()).create();
        proxy = FaultProxy.on(mock.server.url("/"));
        client = KubernetesClients.connect(new ClusterAccess(URI.create(proxy.url()), null, false, namespace,
                new ClusterAuth.Token("t0ken"), Duration.ofSeconds(2)));
    }

    @AfterEach
    void close() {
        client.close();
        proxy.close();
    }

    private String read() {
        return client.configMaps().withName("app").get().getData().get("a");
    }

    @Test
    void theBoundsAreFabric8sDefaultsSetExplicitly() {
        assertEquals(10, ApiRetries.LIMIT);
        // 100 + 200 + 400 + 800 + 1600 + 5 × 3200 ms
        assertEquals(Duration.ofMillis(19_100), ApiRetries.maxBackoff());
        assertEquals(ApiRetries.LIMIT, KubernetesClients.config(new ClusterAccess(URI.create("https://k8s.example.com"), null, false,
                null, new ClusterAuth.Token("t"), null)).getRequestRetryBackoffLimit());
    }

    @Test
    void aFewAnswersOf503AreRetriedWithGrowingPauses() {
        FaultProxy.Rule rule = proxy.fail(Request.get(".*/configmaps/app"), Fault.status(503), Times.times(3));
        long t0 = System.nanoTime();
        assertEquals("b", read());
        assertEquals(3, rule.applied());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 100 + 200 + 400, "paused 100, 200 and 400 ms");
    }

    @Test
    void retryAfterIsWaitedOutBeforeTheNextAttempt() {
        FaultProxy.Rule rule = proxy.fail(Request.get(".*/configmaps/app"), Fault.tooManyRequests(1), Times.times(2));
        long t0 = System.nanoTime();
        assertEquals("b", read());
        assertEquals(2, rule.applied());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 2000, "waited the 1 s asked, twice");
    }

    @Test
    void retryAfterBeyondTheBoundIsNotWaited() {
        assertEquals(0, ApiRetries.retryAfterMillis("3600", 0));
        assertEquals(0, ApiRetries.retryAfterMillis("soon", 0));
        assertEquals(2000, ApiRetries.retryAfterMillis("2", 0));
        assertEquals(5000, ApiRetries.retryAfterMillis("Thu, 01 Jan 1970 00:00:05 GMT", 0));
    }

    @Test
    void aRefusedRequestIsNamedWithTheServerAndTheFault() {
        // (a 5xx is named the same way, after the client's 10 retries: 19 s of pauses this test does not wait for)
        FaultProxy.Rule rule = proxy.fail(Request.put(".*/configmaps/app"), Fault.status(422), Times.always());
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().resource(
                new ConfigMapBuilder().withNewMetadata().withName("app").endMetadata().addToData("a", "c").build()).update());
        String m = KubernetesClients.describe(e);
        assertEquals("the API server 127.0.0.1:" + URI.create(proxy.url()).getPort() + " answered HTTP 422 to PUT /api/v1/namespaces/"
                + namespace + "/configmaps/app", m);
        assertEquals(1, rule.applied(), "a refusal is not retried");
    }

    @Test
    void noAnswerWithinTheTimeoutIsNamedWithTheRequest() {
        FaultProxy.Rule rule = proxy.fail(Request.get(".*/configmaps/app"), Fault.hang(), Times.always());
        KubernetesClientException e = assertThrows(KubernetesClientException.class, this::read);
        String m = KubernetesClients.describe(e);
        assertTrue(m.startsWith("the API server 127.0.0.1:" + URI.create(proxy.url()).getPort() + " did not answer GET /api/v1/namespaces/"
                + namespace + "/configmaps/app"), m);
        assertTrue(m.endsWith("within the request timeout"), m);
        // on OkHttp its call timeout would end the attempt first, as an IOException that fabric8 retries 10 times
        assertEquals(1, rule.applied(), "no answer is not retried");
    }

    @Test
    void okHttpsDeadlineComesAfterFabric8s() {
        assertEquals(Duration.ofSeconds(4), ApiRetries.unansweredAfter(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(35), ApiRetries.unansweredAfter(Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(70), ApiRetries.okHttpCallTimeout(Duration.ofSeconds(30)));
    }

    @Test
    void aTruncatedAnswerIsSaidToBeOne() {
        proxy.fail(Request.get(".*/configmaps/app"), Fault.truncated(), Times.always());
        KubernetesClientException e = assertThrows(KubernetesClientException.class, this::read);
        assertTrue(KubernetesClients.describe(e).startsWith("the API server"), KubernetesClients.describe(e));
        assertTrue(KubernetesClients.describe(e).contains("sent a malformed or truncated answer"), KubernetesClients.describe(e));
    }
}
