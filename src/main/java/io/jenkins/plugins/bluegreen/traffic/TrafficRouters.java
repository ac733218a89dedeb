package io.jenkins.plugins.bluegreen.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import java.util.Objects;

/** Picks the {@link TrafficRouter} for a {@link RouterSpec}, so callers need not know the providers. */
public final class TrafficRouters {

    private TrafficRouters() {}

    /**
     * The router for {@code spec} in {@code namespace}. Creating it does not contact the cluster; call
     * {@link TrafficRouter#verify()} for that.
     */
    public static TrafficRouter create(KubernetesClient client, String namespace, RouterSpec spec) {
        Objects.requireNonNull(spec, "spec");
        switch (spec.kind()) {
            case ISTIO_VIRTUAL_SERVICE:
                return new IstioVirtualServiceRouter(client, namespace, spec);
            case GATEWAY_HTTP_ROUTE:
                return new GatewayHttpRouteRouter(client, namespace, spec);
            case SERVICE_SELECTOR:
                return new ServiceSelectorRouter(client, namespace, spec);
            default:
                throw new IllegalArgumentException("unknown traffic router kind " + spec.kind());
        }
    }
}
