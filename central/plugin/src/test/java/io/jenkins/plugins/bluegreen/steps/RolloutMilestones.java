package io.jenkins.plugins.bluegreen.steps;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.bluegreen.engine.RecordJson;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.ConfigMapRecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST CODE: when each milestone of a rollout (an event of its record's history other than a gate evaluation, whose
 * number depends on timing) appears in the API server, as a watch on the record sees it. The kill moments of
 * {@link KilledControllerTest} are placed on this timeline: a moment of the uninterrupted rollout falls after some
 * milestone, and a run is killed as long after that same milestone, so that a JVM slowed by the machine's load is
 * still killed at the same point of its rollout.
 */
final class RolloutMilestones implements AutoCloseable {

    private final int before;
    private final List<Instant> seen = new CopyOnWriteArrayList<>();
    private final List<String> names = new CopyOnWriteArrayList<>();
    private final Watch watch;

    /** Watches the record of {@code target}; the milestones already there do not count. */
    RolloutMilestones(KubernetesClient client, RolloutTarget target) {
        var record = client.configMaps().inNamespace(target.namespace()).withName(ConfigMapRecordStore.name(target));
        ConfigMap now = record.get();
        before = now == null ? 0 : milestones(now).size();
        watch = record.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                observe(cm);
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test closed it
            }
        });
    }

    private static List<RolloutEvent> milestones(ConfigMap cm) {
        String json = cm.getData() == null ? null : cm.getData().get(ConfigMapRecordStore.KEY);
        if (json == null) {
            return List.of();
        }
        RolloutRecord record = RecordJson.read(json);
        return record.getHistory().stream().filter(e -> !"gate".equals(e.type())).toList();
    }

    private synchronized void observe(ConfigMap cm) {
        List<RolloutEvent> all = milestones(cm);
        Instant now = Instant.now();
        for (int i = before + seen.size(); i < all.size(); i++) {
            seen.add(now);
            names.add(all.get(i).type() + ": " + all.get(i).message());
        }
        notifyAll();
    }

    /** When the {@code k}-th milestone (from 1) was seen; waits for it up to {@code timeout}, null if it never came. */
    synchronized Instant await(int k, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < k) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return seen.get(k - 1);
    }

    /** The times seen so far, in order. */
    List<Instant> times() {
        return List.copyOf(seen);
    }

    /** What the {@code k}-th milestone (from 1) said. */
    String name(int k) {
        return names.get(k - 1);
    }

    @Override
    public void close() {
        watch.close();
    }
}
