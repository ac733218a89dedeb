package io.jenkins.plugins.bluegreen.engine;

/** The engine's access to one Kubernetes cluster: everything it reads and changes goes through these ports. */
public interface Cluster {

    Workloads workloads(RolloutTarget target);

    TrafficRouter router(String namespace, RouterSpec spec);

    RecordStore records(RolloutTarget target);

    ServiceLock lock(RolloutTarget target);
}
