package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RecordStore;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class ConfigMapRecordStoreTest {

    static KubernetesClient client;

    private static int services;

    /** The mock keeps its objects across tests: each test gets a service of its own. */
    private final RolloutTarget target = new RolloutTarget("shop", "checkout-" + services++);

    private RolloutRecord record(Phase phase) {
        RolloutRecord r = new RolloutRecord(target, RouterSpec.serviceSelector("checkout"));
        r.setPhase(phase);
        return r;
    }

    @Test
    void writesAndReadsTheRecordInALabelledConfigMap() {
        ConfigMapRecordStore store = new ConfigMapRecordStore(client, target);
        assertTrue(store.read().isEmpty());
        RecordStore.Stored first = store.write(record(Phase.DEPLOYING), null);
        RecordStore.Stored second = store.write(record(Phase.READY), first);
        assertEquals(Phase.READY, store.read().orElseThrow().record().getPhase());
        assertEquals(second.version(), store.read().orElseThrow().version());

        ConfigMap cm = client.configMaps().inNamespace("shop").withName(ConfigMapRecordStore.name(target)).get();
        assertEquals(target.service(), cm.getMetadata().getLabels().get("bluegreen.jenkins.io/service"));
        assertTrue(cm.getData().get("rollout.json").contains("\"phase\" : \"READY\""));
    }

    @Test
    void aWriteOverANewerRecordIsAConflict() {
        ConfigMapRecordStore mine = new ConfigMapRecordStore(client, target);
        ConfigMapRecordStore theirs = new ConfigMapRecordStore(client, target);
        RecordStore.Stored read = mine.write(record(Phase.DEPLOYING), null);
        theirs.write(record(Phase.ROLLED_BACK), theirs.read().orElseThrow());
        assertThrows(RecordStore.ConflictException.class, () -> mine.write(record(Phase.READY), read));
        assertThrows(RecordStore.ConflictException.class, () -> mine.write(record(Phase.READY), null), "creating over an existing record");
        assertEquals(Phase.ROLLED_BACK, mine.read().orElseThrow().record().getPhase());
    }
}
