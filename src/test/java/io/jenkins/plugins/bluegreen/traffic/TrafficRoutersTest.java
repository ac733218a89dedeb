package io.jenkins.plugins.bluegreen.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrafficRoutersTest {

    /** Never contacted: creating a router must not talk to the cluster. */
    private final KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                    .withMasterUrl("http://127.0.0.1:1").withRequestTimeout(1000).build())
            .build();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createsTheRouterForEachKind() {
        RouterSpec istio = RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "shop", "shop");
        TrafficRouter r = TrafficRouters.create(client, "shop", istio);
        assertInstanceOf(IstioVirtualServiceRouter.class, r);
        assertSame(istio, r.spec());
        assertFalse(r.allOrNothing());

        RouterSpec gateway = RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "shop", "shop");
        r = TrafficRouters.create(client, "shop", gateway);
        assertInstanceOf(GatewayHttpRouteRouter.class, r);
        assertSame(gateway, r.spec());
        assertFalse(r.allOrNothing());

        RouterSpec service = RouterSpec.serviceSelector("shop");
        r = TrafficRouters.create(client, "shop", service);
        assertInstanceOf(ServiceSelectorRouter.class, r);
        assertSame(service, r.spec());
        assertTrue(r.allOrNothing());
    }

    @Test
    void requiresANamespace() {
        RolloutException e = assertThrows(RolloutException.class,
                () -> TrafficRouters.create(client, " ", RouterSpec.serviceSelector("shop")));
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertThrows(RolloutException.class, () -> TrafficRouters.create(client, null,
                RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "shop", "shop")));
    }

    @Test
    void aRouterRefusesASpecOfAnotherKind() {
        assertThrows(IllegalArgumentException.class,
                () -> new GatewayHttpRouteRouter(client, "shop", RouterSpec.serviceSelector("shop")));
        assertThrows(IllegalArgumentException.class, () -> new ServiceSelectorRouter(client, "shop",
                RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "shop", "shop")));
    }
}
