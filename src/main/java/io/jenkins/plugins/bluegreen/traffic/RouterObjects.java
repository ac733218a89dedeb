package io.jenkins.plugins.bluegreen.traffic;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.net.ApiFailures;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reads and optimistic read-modify-write updates of one router object, shared by the routers. Every update is a
 * PUT of the whole object as read, carrying its {@code metadata.resourceVersion}: the API server refuses it with
 * 409 when someone else changed the object in between, and we then read again and re-apply. No JSON-patch
 * {@code test} ops, strategic merge or server-side apply: they are not needed for this and the fabric8 mock
 * server cannot serve them.
 */
final class RouterObjects {

    /** Attempts of a read-modify-write before giving up on conflicts. */
    static final int MAX_ATTEMPTS = 5;

    private RouterObjects() {}

    /** "the VirtualService 'shop' in namespace 'prod'": how messages name the object. */
    static String describe(String kind, String name, String namespace) {
        return "the " + kind + " '" + name + "' in namespace '" + namespace + "'";
    }

    /**
     * Gets the object, failing with NOT_FOUND when it is missing.
     *
     * @param what the object as {@link #describe} names it
     * @param hint appended to the NOT_FOUND message (e.g. which API must be installed); may be empty
     */
    static <T> T require(String what, String hint, Supplier<T> get) {
        T object = read(what, get);
        if (object == null) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, capitalize(what) + " does not exist" + hint);
        }
        return object;
    }

    /** Gets the object or null, turning client failures into CLUSTER errors. */
    static <T> T read(String what, Supplier<T> get) {
        try {
            return get.get();
        } catch (KubernetesClientException e) {
            throw clusterError("could not read " + what, e);
        }
    }

    /**
     * Read-modify-write with retries on 409.
     *
     * @param change applies the change to the object just read; returns false when the object already holds what
     *     it should (then nothing is written). May throw a {@link RolloutException} to refuse the change.
     * @param put writes the whole object (a PUT carrying the resourceVersion as read)
     */
    static <T extends HasMetadata> void update(
            String what, String hint, Supplier<T> get, Predicate<T> change, UnaryOperator<T> put) {
        KubernetesClientException lastConflict = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            T object = require(what, hint, get);
            if (object.getMetadata() == null || object.getMetadata().getResourceVersion() == null) {
                // Without a resourceVersion the PUT would overwrite concurrent changes unseen.
                throw new RolloutException(RolloutException.Kind.CLUSTER,
                        "the API server returned " + what + " without metadata.resourceVersion; refusing to overwrite it blindly");
            }
            if (!change.test(object)) {
                return;
            }
            try {
                put.apply(object);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw clusterError("could not update " + what, e);
                }
                lastConflict = e;
            }
        }
        throw new RolloutException(RolloutException.Kind.CLUSTER, "could not update " + what + ": it was changed by someone else "
                + "during each of " + MAX_ATTEMPTS + " attempts (HTTP 409 Conflict); is another tool (a GitOps controller, "
                + "an operator, another rollout) writing it at the same time?", lastConflict);
    }

    static RolloutException clusterError(String action, KubernetesClientException e) {
        StringBuilder m = new StringBuilder(action).append(": ");
        Status status = e.getStatus();
        if (e.getCode() != 401 && e.getCode() != 403) {
            // the server, the request and the fault; the status message when the server gave one (never a body)
            m.append(ApiFailures.describe(e.getCode(), e));
            if (e.getCode() > 0 && status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
                m.append(" (").append(status.getMessage()).append(')');
            }
            return new RolloutException(RolloutException.Kind.CLUSTER, m.toString(), e);
        }
        if (e.getCode() > 0) {
            m.append("HTTP ").append(e.getCode());
            if (status != null && status.getReason() != null) {
                m.append(' ').append(status.getReason());
            }
            m.append(": ");
        }
        m.append(status != null && status.getMessage() != null ? status.getMessage() : e.getMessage());
        if (e.getCode() == 401 || e.getCode() == 403) {
            m.append(" (check the cluster credentials and their RBAC permissions: get and update on this object are needed)");
        }
        return new RolloutException(RolloutException.Kind.CLUSTER, m.toString(), e);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
