package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real fabric8 clients to the mock API server, shared per connection and closed when idle or at shutdown. */
class SharedClientsTest {

    private static final Duration IDLE = Duration.ofMillis(300);
    private static MockCluster mock;
    private ScheduledExecutorService scheduler;
    private final List<KubernetesClient> made = new ArrayList<>();
    private SharedClients clients;

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
        scheduler = Executors.newSingleThreadScheduledExecutor();
        clients = new SharedClients(access -> {
            KubernetesClient c = KubernetesClients.connect(access);
            made.add(c);
            return c;
        }, scheduler, IDLE);
    }

    @AfterEach
    void tearDown() {
        clients.closeAll();
        scheduler.shutdownNow();
    }

    private static ClusterAccess access(String token) {
        return new ClusterAccess(URI.create(mock.client.getMasterUrl().toString()), null, true, "shop",
                new ClusterAuth.Token(token), null);
    }

    private static boolean works(KubernetesClient c) {
        try {
            c.namespaces().list();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void oneClientPerConnectionWhateverTheNumberOfUsers() {
        List<SharedClients.Handle> handles = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            handles.add(clients.acquire(access("token-a")));
        }
        assertEquals(1, made.size());
        assertTrue(handles.stream().allMatch(h -> h.client() == handles.get(0).client()));
        SharedClients.Handle other = clients.acquire(new ClusterAccess(access("token-a").serverUrl(), null, true, "payments",
                new ClusterAuth.Token("token-a"), null));
        assertEquals(1, made.size(), "another namespace of the same cluster shares the connection");
        assertEquals("payments", other.client().getNamespace(), "each user sees its own namespace");
        assertEquals("shop", handles.get(0).client().getNamespace());
        assertTrue(works(other.client()));
        handles.forEach(SharedClients.Handle::close);
        other.close();
    }

    @Test
    void aRotatedCredentialGetsANewClientAndTheOldOneClosesWhenItsLastUserLetsGo() throws Exception {
        SharedClients.Handle before = clients.acquire(access("token-a"));
        SharedClients.Handle after = clients.acquire(access("token-b")); // the credential changed in Jenkins
        assertNotSame(before.client(), after.client());
        assertTrue(works(before.client()), "still in use by a running step");
        before.close();
        before.close(); // twice is once
        Thread.sleep(IDLE.toMillis() * 4);
        assertFalse(works(before.client()), "closed once idle");
        assertTrue(works(after.client()));
        assertEquals(1, clients.size());
        after.close();
    }

    @Test
    void aClientUsedAgainWithinItsIdleTimeIsKept() throws Exception {
        SharedClients.Handle first = clients.acquire(access("token-a"));
        first.close();
        Thread.sleep(IDLE.toMillis() / 3);
        SharedClients.Handle second = clients.acquire(access("token-a"));
        Thread.sleep(IDLE.toMillis() * 3);
        assertSame(first.client(), second.client());
        assertTrue(works(second.client()), "the pending close was cancelled");
        assertEquals(1, made.size());
        second.close();
    }

    @Test
    void theKeyShowsNothingOfTheSecretAndShutdownClosesEverything() {
        String key = SharedClients.fingerprint(access("s3cr3t-token"));
        assertTrue(key.matches("[0-9a-f]{64}") && !key.contains("s3cr3t"), key);
        assertEquals(key, SharedClients.fingerprint(access("s3cr3t-token")));
        SharedClients.Handle held = clients.acquire(access("token-a"));
        clients.closeAll();
        assertFalse(works(held.client()), "closed at shutdown even while held");
        assertThrows(IllegalStateException.class, () -> clients.acquire(access("token-a")));
    }
}
