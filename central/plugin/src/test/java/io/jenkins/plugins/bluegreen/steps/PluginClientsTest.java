package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.config.SharedHttp;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.SelectorThreads;
import io.jenkins.plugins.bluegreen.net.StatusServer;
import org.junit.jupiter.api.Test;

/** Jenkins' shutdown ({@link PluginClients#onBeforeShutdown}) leaves no HTTP client of the plugin, nor its thread. */
class PluginClientsTest {

    @Test
    void shutdownClosesTheSharedHttpClientAndItsSelectorThreadEnds() throws Exception {
        try (StatusServer prometheus = StatusServer.start("2.42.0")) {
            HttpTransport before = SharedHttp.transport();
            PrometheusClient kept = new PrometheusClient(PrometheusEndpoint.of(prometheus.url(), null, null), before);
            assertEquals("2.42.0", kept.checkConnection());
            String selector = SelectorThreads.of(before);
            assertTrue(SelectorThreads.alive(selector));

            new PluginClients().onBeforeShutdown();

            assertFalse(before.holdsClient());
            PrometheusException refused = assertThrows(PrometheusException.class, kept::checkConnection,
                    "a client a step kept fails rather than making a client that outlives the plugin");
            assertEquals(0, refused.status());
            assertEquals(1, prometheus.seen().size());
            SelectorThreads.awaitEnded(selector);
            assertNotSame(before, SharedHttp.transport(), "a later use (a test, a plugin reload) gets a new transport");
        }
    }
}
