package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Cluster;
import io.jenkins.plugins.bluegreen.engine.ObservedRouter;
import io.jenkins.plugins.bluegreen.engine.RecordStore;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.ServiceLock;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.engine.Workloads;

/**
 * TEST CODE: passes the engine's ports through and tells, for every router write, the instant ({@link System#nanoTime})
 * at which it returned: the write has been made and read back from the API server, so from then on the API shows
 * those weights.
 */
final class TimedCluster implements Cluster {

    /** Told after each router write with the weights read back. */
    interface WriteProbe {
        void written(Weights weights, long nanos);
    }

    private final Cluster delegate;
    private final WriteProbe probe;

    TimedCluster(Cluster delegate, WriteProbe probe) {
        this.delegate = delegate;
        this.probe = probe;
    }

    @Override
    public Workloads workloads(RolloutTarget target) {
        return delegate.workloads(target);
    }

    @Override
    public TrafficRouter router(String namespace, RouterSpec spec) {
        return new ObservedRouter(delegate.router(namespace, spec), readBack -> probe.written(readBack, System.nanoTime()));
    }

    @Override
    public RecordStore records(RolloutTarget target) {
        return delegate.records(target);
    }

    @Override
    public ServiceLock lock(RolloutTarget target) {
        return delegate.lock(target);
    }
}
