package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.ServiceLock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class LeaseLockTest {

    static KubernetesClient client;

    private static int services;

    /** The mock keeps its objects across tests: each test gets a service of its own. */
    private final RolloutTarget target = new RolloutTarget("shop", "checkout-" + services++);

    private LeaseLock lock(Duration duration) {
        return new LeaseLock(client, target, Clock.systemUTC(), duration);
    }

    private Lease lease() {
        return client.leases().inNamespace("shop").withName(LeaseLock.name(target)).get();
    }

    @Test
    void aSecondOwnerIsToldWhoHoldsTheLock() {
        try (ServiceLock.Held held = lock(null).acquire("https://ci/job/a/1/", Duration.ZERO)) {
            assertEquals("https://ci/job/a/1/", lease().getSpec().getHolderIdentity());
            RolloutException e = assertThrows(RolloutException.class, () -> lock(null).acquire("https://ci/job/b/7/", Duration.ZERO));
            assertEquals(RolloutException.Kind.LOCKED, e.kind());
            assertTrue(e.getMessage().startsWith(target + " is locked by https://ci/job/a/1/ until "), e.getMessage());
        }
        assertNull(lease().getSpec().getHolderIdentity(), "closing releases the lease");
        lock(null).acquire("https://ci/job/b/7/", Duration.ZERO).close();
    }

    @Test
    void theSameOwnerMayTakeItAgain() {
        try (ServiceLock.Held first = lock(null).acquire("build-1", Duration.ZERO);
                ServiceLock.Held again = lock(null).acquire("build-1", Duration.ZERO)) {
            assertEquals("build-1", lease().getSpec().getHolderIdentity());
        }
    }

    @Test
    void aWaitingOwnerGetsTheLockWhenItIsReleased() throws Exception {
        ServiceLock.Held held = lock(null).acquire("build-1", Duration.ZERO);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> releaser = pool.submit(() -> {
                Thread.sleep(300);
                held.close();
                return null;
            });
            try (ServiceLock.Held mine = lock(null).acquire("build-2", Duration.ofSeconds(10))) {
                assertEquals("build-2", lease().getSpec().getHolderIdentity());
            }
            releaser.get(5, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseOfADeadHolderIsTakenOver() {
        ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5);
        client.leases().inNamespace("shop").resource(new LeaseBuilder()
                .withNewMetadata().withName(LeaseLock.name(target)).withNamespace("shop").endMetadata()
                .withNewSpec().withHolderIdentity("crashed-build").withLeaseDurationSeconds(30)
                .withAcquireTime(longAgo).withRenewTime(longAgo).withLeaseTransitions(3).endSpec().build()).create();
        try (ServiceLock.Held held = lock(null).acquire("build-2", Duration.ZERO)) {
            assertEquals("build-2", lease().getSpec().getHolderIdentity());
            assertEquals(4, lease().getSpec().getLeaseTransitions());
        }
    }

    @Test
    void aLiveHolderRenewsItsLeaseSoItIsNotTakenOver() throws InterruptedException {
        try (ServiceLock.Held held = lock(Duration.ofSeconds(1)).acquire("slow-build", Duration.ZERO)) {
            Thread.sleep(2500); // more than twice the lease duration
            RolloutException e = assertThrows(RolloutException.class,
                    () -> lock(Duration.ofSeconds(1)).acquire("other-build", Duration.ZERO));
            assertEquals(RolloutException.Kind.LOCKED, e.kind());
        }
    }

    @Test
    void ofOwnersRacingForAFreeLockExactlyOneWins() throws Exception {
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ServiceLock.Held>> attempts = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String owner = "build-" + i;
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    return lock(null).acquire(owner, Duration.ZERO);
                } catch (RolloutException e) {
                    return null;
                }
            }));
        }
        start.countDown();
        // Every racer has finished before a winner releases: a release while a slow racer still tries would let it
        // win a free lock fairly, which is not what this test is about.
        List<ServiceLock.Held> winners = new ArrayList<>();
        for (Future<ServiceLock.Held> f : attempts) {
            ServiceLock.Held h = f.get(10, TimeUnit.SECONDS);
            if (h != null) {
                winners.add(h);
            }
        }
        winners.forEach(ServiceLock.Held::close);
        pool.shutdownNow();
        assertEquals(1, winners.size());
    }
}
