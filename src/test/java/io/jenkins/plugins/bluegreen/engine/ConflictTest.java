package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.kubernetes.ConfigMapRecordStore;
import io.jenkins.plugins.bluegreen.traffic.IstioVirtualServiceRouter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Someone else writes between the engine's read and write: the engine reads again and still gets its way. */
class ConflictTest extends LabTest {

    @Test
    void aRecordChangedBehindTheEnginesBackIsReadAgainAndKept() {
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        lab.engine().deploy(lab.image("2.0.0"));
        AtomicBoolean interfered = new AtomicBoolean();
        RolloutEngine engine = lab.engine(c -> new FaultyCluster(c, Integer.MAX_VALUE).interfereOnce(target -> {
            // another writer gets in first, e.g. an operator annotating the record by hand
            ConfigMapRecordStore other = new ConfigMapRecordStore(mock.client, target);
            RecordStore.Stored current = other.read().orElseThrow();
            current.record().addEvent(Instant.parse("2026-11-22T10:00:00Z"), "note", "paged the on-call");
            other.write(current.record(), current);
            interfered.set(true);
        }));
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
        EngineLab lab = lab(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE);
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
