package io.jenkins.plugins.bluegreen.steps;

import hudson.Extension;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.bluegreen.config.SharedHttp;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.kubernetes.SharedClients;
import java.time.Duration;
import jenkins.util.Timer;

/**
 * The clients the steps share, closed when Jenkins shuts down so that they never outlive the plugin: the Kubernetes
 * clients, one per distinct connection ({@link SharedClients}), kept a minute after their last use; and the one HTTP
 * client of every Prometheus, Alertmanager and webhook request ({@link SharedHttp}).
 */
@Extension
public final class PluginClients extends ItemListener {

    /** Long enough to span the pauses of a running step (a few seconds between pieces of work). */
    static final Duration IDLE = Duration.ofMinutes(1);

    private static SharedClients kubernetes;
    /** {@link #IDLE}, unless a test shortened it to see clients close. */
    private static Duration idle = IDLE;

    /** The shared clients, made on first use. */
    static synchronized SharedClients kubernetes() {
        if (kubernetes == null) {
            kubernetes = new SharedClients(KubernetesClients::connect, Timer.get(), idle);
        }
        return kubernetes;
    }

    /** How many Kubernetes clients are open now. */
    static synchronized int open() {
        return kubernetes == null ? 0 : kubernetes.size();
    }

    /**
     * For tests and benchmarks, which must see clients close without waiting a minute: closes the clients open now and
     * keeps the next ones {@code idleTime} after their last use; {@code null} restores {@link #IDLE}.
     */
    static synchronized void idleTime(Duration idleTime) {
        if (kubernetes != null) {
            kubernetes.closeAll();
            kubernetes = null;
        }
        idle = idleTime == null ? IDLE : idleTime;
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
        SharedHttp.close();
    }
}
