package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterConfigurationException;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesClients;
import io.jenkins.plugins.bluegreen.metrics.PrometheusException;

/**
 * Which failures of a step are expected (a refusal, a verdict, an outage the user can act on, each with a message free
 * of secrets) and which are defects, and how each is said in the build log.
 */
final class StepFailures {

    private StepFailures() {
    }

    static String describeUnexpected(Throwable x) {
        return x.getMessage() == null ? x.getClass().getSimpleName() : x.getClass().getSimpleName() + ": " + x.getMessage();
    }

    /** The message of an expected failure (meant for the Pipeline author, free of secrets), or null. */
    static @CheckForNull String expected(Throwable x) {
        if (x instanceof AbortException || x instanceof RolloutException || x instanceof ClusterConfigurationException
                || x instanceof PrometheusException || x instanceof IllegalArgumentException) {
            return x.getMessage();
        }
        if (x instanceof KubernetesClientException) {
            return KubernetesClients.describe((KubernetesClientException) x); // only the status: a body may echo a request
        }
        return null;
    }

    static String message(Throwable x) {
        String m = expected(x);
        return m != null ? m : x.getClass().getSimpleName();
    }
}
