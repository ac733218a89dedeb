package io.jenkins.plugins.bluegreen.steps;

import hudson.Extension;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.SharedClients;
import java.time.Duration;
import jenkins.util.Timer;

/**
 * The Kubernetes clients the steps share, one per distinct connection ({@link SharedClients}), kept a minute after
 * their last use and closed when Jenkins shuts down, so that they never outlive the plugin.
 */
@Extension
public final class PluginClients extends ItemListener {

    /** Long enough to span the pauses of a running step (a few seconds between pieces of work). */
    static final Duration IDLE = Duration.ofMinutes(1);

    private static SharedClients kubernetes;

    /** The shared clients, made on first use. */
    static synchronized SharedClients kubernetes() {
        if (kubernetes == null) {
            kubernetes = new SharedClients(KubernetesClients::connect, Timer.get(), IDLE);
        }
        return kubernetes;
    }

    @Override
    public void onBeforeShutdown() {
        closeAll();
    }

    static synchronized void closeAll() {
        if (kubernetes != null) {
            kubernetes.closeAll();
            kubernetes = null;
        }
    }
}
