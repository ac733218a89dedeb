package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.engine.RecordJson;
import io.jenkins.plugins.bluegreen.engine.RecordStore;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.util.Optional;

/**
 * Keeps a service's rollout record as JSON in a ConfigMap {@code <service>-bluegreen-rollout} next to it. Writes
 * carry the resourceVersion they replace, so the API server refuses (409) a write over a newer record.
 */
public class ConfigMapRecordStore implements RecordStore {

    public static final String KEY = "rollout.json";
    public static final String SERVICE_LABEL = "bluegreen.jenkins.io/service";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "jenkins-blue-green-deployment";

    private final KubernetesClient client;
    private final RolloutTarget target;

    public ConfigMapRecordStore(KubernetesClient client, RolloutTarget target) {
        this.client = client;
        this.target = target;
    }

    public static String name(RolloutTarget target) {
        return target.service() + "-bluegreen-rollout";
    }

    @Override
    public Optional<Stored> read() {
        ConfigMap cm = client.configMaps().inNamespace(target.namespace()).withName(name(target)).get();
        if (cm == null || cm.getData() == null || cm.getData().get(KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(new Stored(RecordJson.read(cm.getData().get(KEY)), cm.getMetadata().getResourceVersion()));
    }

    @Override
    public Stored write(RolloutRecord record, Stored replaced) {
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(target))
                .withNamespace(target.namespace())
                .addToLabels(SERVICE_LABEL, target.service())
                .addToLabels(MANAGED_BY, MANAGER)
                .withResourceVersion(replaced == null ? null : replaced.version())
                .endMetadata()
                .addToData(KEY, RecordJson.write(record))
                .build();
        try {
            ConfigMap written = replaced == null
                    ? client.configMaps().inNamespace(target.namespace()).resource(cm).create()
                    : client.configMaps().inNamespace(target.namespace()).resource(cm).update();
            return new Stored(record, written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ConflictException("the rollout record " + name(target) + " changed since it was read");
            }
            if (e.getCode() == 404 && replaced != null) {
                throw new ConflictException("the rollout record " + name(target) + " was deleted since it was read");
            }
            throw new RolloutException(RolloutException.Kind.CLUSTER, "cannot write the rollout record " + name(target)
                    + " in namespace " + target.namespace() + ": " + KubernetesClients.describe(e), e);
        }
    }
}
