package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.ServiceLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One operation at a time per service: a {@code coordination.k8s.io/v1} Lease {@code <service>-bluegreen-lock}
 * held while an operation runs, renewed in the background at a third of its duration, released at the end, and
 * taken over by another owner only once it has expired (its holder died).
 */
public class LeaseLock implements ServiceLock {

    private static final Logger LOGGER = Logger.getLogger(LeaseLock.class.getName());

    /**
     * Without a scheduler of the caller's: one daemon thread renews every lease this JVM holds, and goes away a second
     * after the last lease is released.
     */
    private static final ScheduledExecutorService DEFAULT_RENEWER = defaultRenewer();

    private static ScheduledExecutorService defaultRenewer() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "blue-green lease renewal");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setKeepAliveTime(1, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    private static final long MAX_POLL_MILLIS = 1000;

    private final KubernetesClient client;
    private final RolloutTarget target;
    private final Clock clock;
    private final Duration duration;
    private final ScheduledExecutorService renewer;

    public LeaseLock(KubernetesClient client, RolloutTarget target, Clock clock, Duration duration) {
        this(client, target, clock, duration, null);
    }

    /**
     * @param renewer where renewals run (in Jenkins, its shared timer, so that holding leases costs no thread of
     *     its own); null for a daemon thread of this class
     */
    public LeaseLock(KubernetesClient client, RolloutTarget target, Clock clock, Duration duration,
            ScheduledExecutorService renewer) {
        this.client = client;
        this.target = target;
        this.clock = clock;
        this.duration = duration == null ? DEFAULT_DURATION : duration;
        this.renewer = renewer == null ? DEFAULT_RENEWER : renewer;
    }

    public static String name(RolloutTarget target) {
        return target.service() + "-bluegreen-lock";
    }

    @Override
    public Held acquire(String owner, Duration wait) {
        Instant deadline = clock.instant().plus(wait == null ? Duration.ZERO : wait);
        long pause = 50;
        while (true) {
            Lease current = leases().withName(name(target)).get();
            String refusal = tryTake(current, owner);
            if (refusal == null) {
                ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(() -> renew(owner),
                        duration.toMillis() / 3, duration.toMillis() / 3, TimeUnit.MILLISECONDS);
                return () -> {
                    renewal.cancel(false);
                    release(owner);
                };
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new RolloutException(RolloutException.Kind.LOCKED, refusal);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, Duration.between(clock.instant(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RolloutException(RolloutException.Kind.LOCKED, "interrupted while waiting for the lock of " + target);
            }
            pause = Math.min(MAX_POLL_MILLIS, pause * 2);
        }
    }

    /** Takes the lease if it is free, ours, or expired; otherwise says who holds it. Conflicts count as "held". */
    private String tryTake(Lease current, String owner) {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            if (current == null) {
                leases().resource(new LeaseBuilder()
                        .withNewMetadata().withName(name(target)).withNamespace(target.namespace())
                        .addToLabels(ConfigMapRecordStore.SERVICE_LABEL, target.service())
                        .addToLabels(ConfigMapRecordStore.MANAGED_BY, ConfigMapRecordStore.MANAGER)
                        .endMetadata()
                        .withNewSpec().withHolderIdentity(owner).withLeaseDurationSeconds(seconds())
                        .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec()
                        .build()).create();
                return null;
            }
            String holder = current.getSpec() == null ? null : current.getSpec().getHolderIdentity();
            boolean free = holder == null || holder.isEmpty() || holder.equals(owner) || expired(current);
            if (!free) {
                return target + " is locked by " + holder + " until " + expiry(current)
                        + " (its lease is renewed while it works; it is taken over only after it expires)";
            }
            Lease next = new LeaseBuilder(current).editSpec()
                    .withHolderIdentity(owner).withLeaseDurationSeconds(seconds()).withRenewTime(now)
                    .withAcquireTime(owner.equals(holder) ? current.getSpec().getAcquireTime() : now)
                    .withLeaseTransitions(transitions(current) + (owner.equals(holder) ? 0 : 1))
                    .endSpec().build();
            leases().resource(next).update();
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return target + " was being locked by someone else at the same moment";
            }
            if (e.getCode() == 404) {
                throw new RolloutException(RolloutException.Kind.NOT_FOUND, "the namespace '" + target.namespace()
                        + "' does not exist (or these credentials cannot see it)");
            }
            throw new RolloutException(RolloutException.Kind.CLUSTER, "cannot lock " + target + ": " + KubernetesClients.describe(e), e);
        }
    }

    private void renew(String owner) {
        try {
            Lease current = leases().withName(name(target)).get();
            if (current == null || current.getSpec() == null || !owner.equals(current.getSpec().getHolderIdentity())) {
                LOGGER.warning(() -> "lost the lock of " + target + " (now held by "
                        + (current == null || current.getSpec() == null ? "nobody" : current.getSpec().getHolderIdentity()) + ")");
                return;
            }
            leases().resource(new LeaseBuilder(current).editSpec()
                    .withRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).endSpec().build()).update();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "renewing the lock of " + target + " failed; the next attempt may succeed", e);
        }
    }

    private void release(String owner) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Lease current = leases().withName(name(target)).get();
                if (current == null || current.getSpec() == null || !owner.equals(current.getSpec().getHolderIdentity())) {
                    return;
                }
                leases().resource(new LeaseBuilder(current).editSpec().withHolderIdentity(null).withRenewTime(null).endSpec()
                        .build()).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    LOGGER.log(Level.WARNING, "could not release the lock of " + target + "; it expires by itself", e);
                    return;
                }
            }
        }
    }

    private boolean expired(Lease lease) {
        ZonedDateTime renewed = lease.getSpec().getRenewTime();
        if (renewed == null) {
            return true;
        }
        return !clock.instant().isBefore(expiry(lease));
    }

    private static Instant expiry(Lease lease) {
        ZonedDateTime renewed = Objects.requireNonNullElse(lease.getSpec().getRenewTime(),
                ZonedDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC));
        Integer seconds = lease.getSpec().getLeaseDurationSeconds();
        return renewed.toInstant().plusSeconds(seconds == null ? DEFAULT_DURATION.toSeconds() : seconds);
    }

    private static int transitions(Lease lease) {
        Integer t = lease.getSpec().getLeaseTransitions();
        return t == null ? 0 : t;
    }

    private int seconds() {
        return (int) Math.max(1, duration.toSeconds());
    }

    private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
        return client.leases().inNamespace(target.namespace());
    }
}
