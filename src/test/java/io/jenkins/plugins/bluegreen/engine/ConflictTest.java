package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.kubernetes.ConfigMapRecordStore;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.traffic.IstioVirtualServiceRouter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Someone else writes between the engine's read and write: the engine reads again and still gets its way. */
class ConflictTest {

    private static MockCluster mock;
    private EngineLab lab;

    @BeforeAll
    static void startMock() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void aRecordChangedBehindTheEnginesBackIsReadAgainAndKept() {
        lab = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        lab.engine().deploy(lab.image("2.0.0"));
        AtomicBoolean interfered = new AtomicBoolean();
        RolloutEngine engine = lab.engine(c -> new Cluster() {
            @Override
            public Workloads workloads(RolloutTarget target) {
                return c.workloads(target);
            }

            @Override
            public TrafficRouter router(String namespace, RouterSpec spec) {
                return c.router(namespace, spec);
            }

            @Override
            public RecordStore records(RolloutTarget target) {
                RecordStore store = c.records(target);
                return new RecordStore() {
                    @Override
                    public Optional<Stored> read() {
                        return store.read();
                    }

                    @Override
                    public Stored write(RolloutRecord record, Stored replaced) {
                        if (interfered.compareAndSet(false, true)) {
                            // another writer gets in first, e.g. an operator annotating the record by hand
                            ConfigMapRecordStore other = new ConfigMapRecordStore(mock.client, target);
                            Stored current = other.read().orElseThrow();
                            current.record().addEvent(Instant.parse("2026-11-22T10:00:00Z"), "note", "paged the on-call");
                            other.write(current.record(), current);
                        }
                        return store.write(record, replaced);
                    }
                };
            }

            @Override
            public ServiceLock lock(RolloutTarget target) {
                return c.lock(target);
            }
        });
        RolloutRecord r = engine.shift(lab.target, 5, EngineLab.OWNER).record();
        assertTrue(interfered.get());
        assertEquals(Phase.SHIFTED, r.getPhase());
        assertEquals(Phase.SHIFTED, lab.record().getPhase());
        assertTrue(lab.record().getHistory().stream().anyMatch(e -> e.message().equals("paged the on-call")),
                "the other writer's change survives");
        assertEquals(Weights.of(Color.GREEN, 5), lab.liveWeights());
    }

    @Test
    void aConflictOnTheRouterObjectIsRetried() {
        lab = new EngineLab(mock, RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        lab.engine().deploy(lab.image("2.0.0"));
        mock.server.expect().put()
                .withPath("/apis/" + IstioVirtualServiceRouter.GROUP + "/" + IstioVirtualServiceRouter.VERSION + "/namespaces/"
                        + lab.namespace + "/virtualservices/checkout")
                .andReturn(409, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "Conflict", "code", 409))
                .once();
        assertEquals(Weights.of(Color.GREEN, 50), lab.engine().shift(lab.target, 50, EngineLab.OWNER).record().getWeights());
        assertEquals(Weights.of(Color.GREEN, 50), lab.liveWeights());
    }
}
