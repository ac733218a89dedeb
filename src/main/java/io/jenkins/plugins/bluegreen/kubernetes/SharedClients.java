package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Kubernetes client per distinct connection, shared by every step that uses it: a fabric8 client owns an HTTP
 * client with its own I/O threads and buffers, about 10 threads and 2.5 MB, so 500 rollouts each with their own would
 * need thousands of threads. A connection is the cluster settings plus the credential's current value; the key is a
 * SHA-256 digest of them, never the value itself, so a credential rotated in Jenkins gets a new client on next use
 * while the old one closes once its last user lets go. The namespace is not part of a connection: services in many
 * namespaces of one cluster are the common case, and each user gets a view of the one client in its own namespace
 * (fabric8's {@code inNamespace}, which shares the HTTP client and its threads).
 *
 * <p>Reference-counted: {@link #acquire} hands out a {@link Handle}; when the last handle of a client is closed, the
 * client is closed after {@code idle} unless acquired again meanwhile (a step resumes every few seconds, and a new
 * client for each piece of work would throw the connection pool away each time). {@link #closeAll} closes everything,
 * for the plugin's shutdown. Thread-safe.
 */
public final class SharedClients {

    private final Function<ClusterAccess, KubernetesClient> connect;
    private final ScheduledExecutorService scheduler;
    private final Duration idle;
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean closed;

    private static final class Entry {
        final KubernetesClient client;
        /** The client's view per namespace its users asked for, made once each. */
        final Map<String, KubernetesClient> views = new HashMap<>();
        int users;
        ScheduledFuture<?> closing;

        Entry(KubernetesClient client) {
            this.client = client;
        }

        KubernetesClient in(String namespace) {
            if (namespace == null || namespace.isBlank()) {
                return client;
            }
            return views.computeIfAbsent(namespace, ns -> client.adapt(NamespacedKubernetesClient.class).inNamespace(ns));
        }
    }

    /**
     * @param connect makes a client for a connection ({@link KubernetesClients#connect} in the plugin)
     * @param scheduler runs the idle closes
     * @param idle how long an unused client is kept
     */
    public SharedClients(Function<ClusterAccess, KubernetesClient> connect, ScheduledExecutorService scheduler, Duration idle) {
        this.connect = connect;
        this.scheduler = scheduler;
        this.idle = idle;
    }

    /** A use of the client for {@code access}: made on first use, shared afterwards. Close the handle, not the client. */
    public synchronized Handle acquire(ClusterAccess access) {
        if (closed) {
            throw new IllegalStateException("the Kubernetes clients are closed: Jenkins is shutting down");
        }
        String key = fingerprint(access);
        Entry e = entries.get(key);
        if (e == null) {
            // made without a namespace of its own, so that a kubeconfig's namespace stays the default of every view
            e = new Entry(connect.apply(new ClusterAccess(access.serverUrl(), access.caCertificatePem(), access.skipTlsVerify(), null,
                    access.auth(), access.requestTimeout())));
            entries.put(key, e);
        }
        KubernetesClient view = e.in(access.namespace());
        if (e.closing != null) {
            e.closing.cancel(false);
            e.closing = null;
        }
        e.users++;
        return new Handle(key, e.client, view);
    }

    /** How many distinct clients are open. */
    public synchronized int size() {
        return entries.size();
    }

    /** Closes every client, used or not. Later acquisitions fail. */
    public synchronized void closeAll() {
        closed = true;
        for (Entry e : entries.values()) {
            if (e.closing != null) {
                e.closing.cancel(false);
            }
            e.client.close();
        }
        entries.clear();
    }

    private synchronized void release(String key, KubernetesClient client) {
        Entry e = entries.get(key);
        if (e == null || e.client != client) {
            return; // closed by closeAll
        }
        if (--e.users > 0) {
            return;
        }
        e.closing = scheduler.schedule(() -> closeIfUnused(key, client), idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void closeIfUnused(String key, KubernetesClient client) {
        Entry e = entries.get(key);
        if (e != null && e.client == client && e.users == 0) {
            entries.remove(key);
            client.close();
        }
    }

    /**
     * SHA-256 over every setting that makes a connection differ, the credential's value included (the namespace is
     * not one): equal settings share a client, and the key shows nothing of the secret.
     */
    static String fingerprint(ClusterAccess access) {
        StringBuilder b = new StringBuilder()
                .append(access.serverUrl()).append('\n')
                .append(access.caCertificatePem()).append('\n')
                .append(access.skipTlsVerify()).append('\n')
                .append(access.requestTimeout().toMillis()).append('\n');
        if (access.auth() instanceof ClusterAuth.Token t) {
            b.append("token\n").append(t.token());
        } else if (access.auth() instanceof ClusterAuth.Kubeconfig k) {
            b.append("kubeconfig\n").append(k.content());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** One user's hold on a shared client. */
    public final class Handle implements AutoCloseable {
        private final String key;
        private final KubernetesClient client;
        private final KubernetesClient view;
        private boolean released;

        private Handle(String key, KubernetesClient client, KubernetesClient view) {
            this.key = key;
            this.client = client;
            this.view = view;
        }

        /** The shared client, with the user's namespace as its default. */
        public KubernetesClient client() {
            return view;
        }

        /** Lets go of the client (once; later calls do nothing). */
        @Override
        public void close() {
            synchronized (SharedClients.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(key, client);
        }
    }
}
