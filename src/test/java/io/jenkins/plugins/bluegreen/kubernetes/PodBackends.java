package io.jenkins.plugins.bluegreen.kubernetes;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST CODE: which local server stands for which pods. The mock API server has pods (objects the simulated control
 * plane writes) but no pod network: where a real API server's service proxy dials a ready pod's IP, {@link ServiceProxy}
 * asks this registry for the server that plays the pods carrying certain labels in a namespace, e.g. the traffic lab's
 * green app for the pods labelled {@code app: checkout, bluegreen.jenkins.io/color: green}.
 */
public final class PodBackends {

    private record Backend(String namespace, Map<String, String> podLabels, URI url) {
    }

    private final List<Backend> backends = new CopyOnWriteArrayList<>();

    /**
     * From now on, pods in {@code namespace} carrying all of {@code podLabels} are served by {@code url}; a path in it
     * is a prefix ({@code http://127.0.0.1:8080/green} gets {@code /green/healthz} for {@code /healthz}).
     */
    public void register(String namespace, Map<String, String> podLabels, URI url) {
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalArgumentException("pods are played by servers on 127.0.0.1 only, not " + url);
        }
        unregister(namespace, podLabels);
        backends.add(new Backend(namespace, Map.copyOf(podLabels), url));
    }

    public void unregister(String namespace, Map<String, String> podLabels) {
        backends.removeIf(b -> b.namespace().equals(namespace) && b.podLabels().equals(podLabels));
    }

    /** The server playing a pod with these labels, if any. */
    Optional<URI> serverFor(String namespace, Map<String, String> podLabels) {
        for (Backend b : backends) {
            if (b.namespace().equals(namespace) && podLabels.entrySet().containsAll(b.podLabels().entrySet())) {
                return Optional.of(b.url());
            }
        }
        return Optional.empty();
    }
}
