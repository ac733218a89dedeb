package io.jenkins.plugins.bluegreen.kubernetes;

/**
 * How the plugin authenticates to a Kubernetes API server. Values live only in memory for the length of
 * one connection: they are resolved from Jenkins credentials each time and never serialized or printed.
 */
public sealed interface ClusterAuth permits ClusterAuth.Token, ClusterAuth.Kubeconfig {

    /** A bearer token, e.g. a service account token kept as a secret-text credential. */
    record Token(String token) implements ClusterAuth {
        public Token {
            if (token == null || token.isBlank()) {
                throw new ClusterConfigurationException("the token credential is empty");
            }
        }

        @Override
        public String toString() {
            return "Token[****]";
        }
    }

    /** The content of a kubeconfig file kept as a secret-file credential. */
    record Kubeconfig(String content) implements ClusterAuth {
        public Kubeconfig {
            if (content == null || content.isBlank()) {
                throw new ClusterConfigurationException("the kubeconfig credential is empty");
            }
        }

        @Override
        public String toString() {
            return "Kubeconfig[****]";
        }
    }
}
