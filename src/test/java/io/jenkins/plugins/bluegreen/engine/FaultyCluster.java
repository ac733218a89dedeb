package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST CODE: passes every port through, counting the calls that change the cluster (apply, scale, router
 * write, record write). With {@code crashAfter} set, the process "dies" right after that many changes: the
 * change has happened, nothing after it does. With an interference set, someone else writes the record once, right
 * before the engine's first record write, so that the engine's write meets a conflict.
 */
final class FaultyCluster implements Cluster {

    /** What a crashed process leaves behind: an exception nobody handles. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(int step) {
            super("simulated crash after change " + step);
        }
    }

    private final Cluster delegate;
    private final int crashAfter;
    final AtomicInteger changes = new AtomicInteger();
    private volatile java.util.function.Consumer<RolloutTarget> interference;

    FaultyCluster(Cluster delegate, int crashAfter) {
        this.delegate = delegate;
        this.crashAfter = crashAfter;
    }

    /** Runs {@code other} once, before the next record write. */
    FaultyCluster interfereOnce(java.util.function.Consumer<RolloutTarget> other) {
        this.interference = other;
        return this;
    }

    private void changed() {
        int n = changes.incrementAndGet();
        if (n == crashAfter) {
            throw new SimulatedCrash(n);
        }
    }

    @Override
    public Workloads workloads(RolloutTarget target) {
        Workloads w = delegate.workloads(target);
        return new Workloads() {
            @Override
            public Optional<Workload> find(Color color) {
                return w.find(color);
            }

            @Override
            public String validate(CandidateSource source, Color stable) {
                return w.validate(source, stable);
            }

            @Override
            public Workload apply(Color color, CandidateSource source, Color stable, int replicas) {
                Workload result = w.apply(color, source, stable, replicas);
                changed();
                return result;
            }

            @Override
            public void scale(Color color, int replicas) {
                w.scale(color, replicas);
                changed();
            }

            @Override
            public Readiness awaitReady(Color color, Duration timeout) {
                return w.awaitReady(color, timeout);
            }
        };
    }

    @Override
    public TrafficRouter router(String namespace, RouterSpec spec) {
        return new ObservedRouter(delegate.router(namespace, spec), written -> changed());
    }

    @Override
    public RecordStore records(RolloutTarget target) {
        RecordStore s = delegate.records(target);
        return new RecordStore() {
            @Override
            public Optional<Stored> read() {
                return s.read();
            }

            @Override
            public Stored write(RolloutRecord record, Stored replaced) {
                java.util.function.Consumer<RolloutTarget> other = interference;
                if (other != null) {
                    interference = null;
                    other.accept(target);
                }
                Stored result = s.write(record, replaced);
                changed();
                return result;
            }
        };
    }

    @Override
    public ServiceLock lock(RolloutTarget target) {
        return delegate.lock(target);
    }
}
