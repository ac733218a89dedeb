package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.engine.RolloutException;

/** One way to say which API call failed and why, for everything that writes a colour's objects. */
final class ClusterCalls {

    private ClusterCalls() {
    }

    interface Call<T> {
        T run();
    }

    /** Runs {@code call}; a client failure becomes a CLUSTER error saying "cannot {@code what}: ...". */
    static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (KubernetesClientException e) {
            throw cluster(what, e);
        }
    }

    static RolloutException cluster(String what, KubernetesClientException e) {
        return new RolloutException(RolloutException.Kind.CLUSTER, "cannot " + what + ": " + KubernetesClients.describe(e), e);
    }
}
