package io.jenkins.plugins.bluegreen.bench;

import io.jenkins.plugins.bluegreen.engine.Cluster;
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
        TrafficRouter r = delegate.router(namespace, spec);
        return new TrafficRouter() {
            @Override
            public RouterSpec spec() {
                return r.spec();
            }

            @Override
            public void verify() {
                r.verify();
            }

            @Override
            public Weights read() {
                return r.read();
            }

            @Override
            public Weights write(Weights weights) {
                Weights readBack = r.write(weights);
                probe.written(readBack, System.nanoTime());
                return readBack;
            }
        };
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
