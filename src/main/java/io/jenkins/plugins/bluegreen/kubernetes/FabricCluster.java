package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.Cluster;
import io.jenkins.plugins.bluegreen.engine.RecordStore;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.ServiceLock;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import io.jenkins.plugins.bluegreen.traffic.TrafficRouters;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** The engine's ports on a real (or mock) Kubernetes API server, through one fabric8 client. */
public class FabricCluster implements Cluster {

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration leaseDuration;
    private final ScheduledExecutorService leaseRenewer;

    public FabricCluster(KubernetesClient client, Clock clock, Duration leaseDuration) {
        this(client, clock, leaseDuration, null);
    }

    /** @param leaseRenewer where lease renewals run; null for {@link LeaseLock}'s own daemon thread */
    public FabricCluster(KubernetesClient client, Clock clock, Duration leaseDuration, ScheduledExecutorService leaseRenewer) {
        this.client = client;
        this.clock = clock;
        this.leaseDuration = leaseDuration;
        this.leaseRenewer = leaseRenewer;
    }

    @Override
    public Workloads workloads(RolloutTarget target) {
        return new KubernetesWorkloads(client, target.namespace(), target.service());
    }

    @Override
    public TrafficRouter router(String namespace, RouterSpec spec) {
        return TrafficRouters.create(client, namespace, spec);
    }

    @Override
    public RecordStore records(RolloutTarget target) {
        return new ConfigMapRecordStore(client, target);
    }

    @Override
    public ServiceLock lock(RolloutTarget target) {
        return new LeaseLock(client, target, clock, leaseDuration, leaseRenewer);
    }
}
