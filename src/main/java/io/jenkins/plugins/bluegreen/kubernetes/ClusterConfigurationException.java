package io.jenkins.plugins.bluegreen.kubernetes;

/**
 * A cluster setting or kubeconfig that cannot be used. Messages name the problem and quote nothing from the
 * kubeconfig, so they are safe to show in a form or a build log.
 */
public class ClusterConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ClusterConfigurationException(String message) {
        super(message);
    }
}
