package io.jenkins.plugins.bluegreen.traffic;

import static io.jenkins.plugins.bluegreen.traffic.RouterMock.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IstioVirtualServiceRouterTest {

    private static final RouterSpec BY_SERVICES = RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "shop", "shop");
    private static final String PATH = "/apis/networking.istio.io/v1/namespaces/shop/virtualservices/shop";

    /** Two http routes (one unrelated), a tcp route to blue, and fields the router must not touch. */
    private static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: shop
              labels: {app: shop}
              annotations: {team: checkout}
            spec:
              hosts: [shop.example.com]
              gateways: [istio-system/public]
              http:
              - name: admin
                match:
                - uri: {prefix: /admin}
                route:
                - destination: {host: admin, port: {number: 9090}}
                  weight: 70
                - destination: {host: admin-next, port: {number: 9090}}
                  weight: 30
              - name: primary
                match:
                - headers:
                    x-user: {exact: beta}
                - uri: {prefix: /}
                headers:
                  request:
                    set: {x-forwarded-by: mesh}
                retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}
                timeout: 10s
                route:
                - destination: {host: shop-blue, port: {number: 8080}}
                  weight: 100
                  headers:
                    response:
                      add: {x-color: blue}
                - destination: {host: shop-green, port: {number: 8080}}
                  weight: 0
              tcp:
              - route:
                - destination: {host: shop-blue, port: {number: 5432}}
            """;

    private RouterMock cluster;
    private ResourceDefinitionContext type;

    @BeforeEach
    void start() {
        cluster = new RouterMock();
        type = new IstioVirtualServiceRouter(cluster.client, NAMESPACE, BY_SERVICES).resource();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private IstioVirtualServiceRouter router(RouterSpec spec) {
        return new IstioVirtualServiceRouter(cluster.client, NAMESPACE, spec);
    }

    private static String virtualService(String http) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop}
                spec:
                  hosts: [shop]
                  http:
                """ + http.indent(2);
    }

    private List<Object> destinations(int route) {
        Map<String, Object> spec = WeightedRouteRouter.map(cluster.get(type, "shop").getAdditionalProperties().get("spec"));
        return WeightedRouteRouter.list(WeightedRouteRouter.map(WeightedRouteRouter.list(spec.get("http")).get(route)).get("route"));
    }

    @Test
    void usesTheV1Api() {
        assertEquals("networking.istio.io", type.getGroup());
        assertEquals("v1", type.getVersion());
        assertEquals("virtualservices", type.getPlural());
        assertEquals(PATH, RouterMock.path(type, "shop"));
    }

    @Test
    void verifyAcceptsAVirtualServiceRoutingToBothColours() {
        cluster.create(type, VIRTUAL_SERVICE);
        router(BY_SERVICES).verify();
        assertEquals(List.of("GET"), cluster.methodsOn(PATH));
    }

    @Test
    void verifyReportsAMissingVirtualService() {
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify());
        assertEquals(RolloutException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("VirtualService 'shop' in namespace 'shop' does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("networking.istio.io/v1"), e.getMessage());
    }

    @Test
    void verifyRejectsAVirtualServiceWithoutTheColours() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-v1}
                    weight: 90
                  - destination: {host: shop-v2}
                    weight: 10
                """));
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify());
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("VirtualService 'shop' in namespace 'shop' has no route to the colours"), e.getMessage());
        assertTrue(e.getMessage().contains("'shop-blue' and/or 'shop-green'"), e.getMessage());
        assertTrue(e.getMessage().contains("host 'shop-v1', host 'shop-v2'"), e.getMessage());
        RolloutException write = assertThrows(RolloutException.class, () -> router(BY_SERVICES).write(Weights.all(Color.GREEN)));
        assertEquals(RolloutException.Kind.INVALID_INPUT, write.kind());
        assertEquals(List.of("GET", "GET"), cluster.methodsOn(PATH), "verify and write read it, nothing was written");
    }

    @Test
    void shiftsStepByStepAndBackReadingEachWriteBack() {
        cluster.create(type, VIRTUAL_SERVICE);
        IstioVirtualServiceRouter router = router(BY_SERVICES);
        assertEquals(new Weights(100, 0), router.read());
        for (int green : new int[] {5, 50, 100, 50, 5, 0}) {
            Weights w = Weights.of(Color.GREEN, green);
            assertEquals(w, router.write(w));
            assertEquals(w, router.read());
            List<Object> route = destinations(1);
            assertEquals(100 - green, WeightedRouteRouter.map(route.get(0)).get("weight"));
            assertEquals(green, WeightedRouteRouter.map(route.get(1)).get("weight"));
        }
    }

    @Test
    void writeIsAPutOfTheWholeObjectFollowedByAReadBack() {
        cluster.create(type, VIRTUAL_SERVICE);
        router(BY_SERVICES).write(Weights.of(Color.GREEN, 5));
        assertEquals(List.of("GET", "PUT", "GET"), cluster.methodsOn(PATH));
        // writing what it already holds sends no PUT
        router(BY_SERVICES).write(Weights.of(Color.GREEN, 5));
        assertEquals(List.of("GET", "GET"), cluster.methodsOn(PATH));
    }

    @Test
    void leavesOtherRoutesAndFieldsUntouched() {
        cluster.create(type, VIRTUAL_SERVICE);
        GenericKubernetesResource before = cluster.get(type, "shop");
        Object adminBefore = RouterMock.json(destinations(0));
        router(BY_SERVICES).write(Weights.of(Color.GREEN, 50));
        GenericKubernetesResource after = cluster.get(type, "shop");
        assertNotEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(cluster.withoutWeights(before), cluster.withoutWeights(after));
        assertEquals(adminBefore, RouterMock.json(destinations(0)));
    }

    @Test
    void addsTheMissingColourWithWeightZeroCopyingThePort() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue, port: {number: 8080}}
                """));
        IstioVirtualServiceRouter router = router(BY_SERVICES);
        router.verify();
        assertEquals(new Weights(100, 0), router.read(), "a lone destination without weight gets all traffic");
        assertEquals(new Weights(100, 0), router.write(new Weights(100, 0)));
        assertEquals(RouterMock.json(List.of(
                Map.of("destination", Map.of("host", "shop-blue", "port", Map.of("number", 8080)), "weight", 100),
                Map.of("destination", Map.of("host", "shop-green", "port", Map.of("number", 8080)), "weight", 0))),
                RouterMock.json(destinations(0)));
        assertEquals(new Weights(95, 5), router.write(new Weights(95, 5)));
    }

    @Test
    void addsTheMissingColourToEveryRouteThatReferencesOne() {
        cluster.create(type, virtualService("""
                - match: [{uri: {prefix: /api}}]
                  route:
                  - destination: {host: shop-green}
                - route:
                  - destination: {host: shop-green}
                    weight: 100
                """));
        router(BY_SERVICES).write(new Weights(20, 80));
        for (int route = 0; route < 2; route++) {
            assertEquals(RouterMock.json(List.of(
                    Map.of("destination", Map.of("host", "shop-green"), "weight", 80),
                    Map.of("destination", Map.of("host", "shop-blue"), "weight", 20))),
                    RouterMock.json(destinations(route)));
        }
    }

    @Test
    void acceptsFullyQualifiedHostsInTheObjectAndKeepsTheirStyle() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue.shop.svc.cluster.local, port: {number: 80}}
                """));
        IstioVirtualServiceRouter router = router(BY_SERVICES);
        router.verify();
        assertEquals(new Weights(5, 95), router.write(new Weights(5, 95)));
        assertEquals("shop-green.shop.svc.cluster.local",
                WeightedRouteRouter.map(WeightedRouteRouter.map(destinations(0).get(1)).get("destination")).get("host"));
    }

    @Test
    void acceptsFullyQualifiedHostsInTheSpecMatchingShortOnesInTheObject() {
        cluster.create(type, VIRTUAL_SERVICE);
        RouterSpec fqdn = new RouterSpec(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "shop",
                "shop-blue.shop.svc.cluster.local", "shop-green.shop.svc.cluster.local", null);
        IstioVirtualServiceRouter router = router(fqdn);
        router.verify();
        assertEquals(new Weights(50, 50), router.write(new Weights(50, 50)));
        assertEquals(new Weights(50, 50), router(BY_SERVICES).read());
    }

    @Test
    void aHostInAnotherNamespaceIsNotAColour() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue.other.svc.cluster.local}
                """));
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify());
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("host 'shop-blue.other.svc.cluster.local'"), e.getMessage());
    }

    @Test
    void subsetModeFindsTheColoursBySubsetOfOneHost() {
        cluster.create(type, virtualService("""
                - name: reviews
                  route:
                  - destination: {host: reviews, subset: v1}
                - name: shop
                  route:
                  - destination: {host: shop.shop.svc.cluster.local, subset: blue, port: {number: 8080}}
                    weight: 100
                """));
        IstioVirtualServiceRouter router = router(RouterSpec.istioSubsets("shop", "shop"));
        router.verify();
        assertEquals(new Weights(100, 0), router.read());
        assertEquals(new Weights(50, 50), router.write(new Weights(50, 50)));
        assertEquals(RouterMock.json(List.of(
                Map.of("destination", Map.of("host", "shop.shop.svc.cluster.local", "subset", "blue", "port", Map.of("number", 8080)), "weight", 50),
                Map.of("destination", Map.of("host", "shop.shop.svc.cluster.local", "subset", "green", "port", Map.of("number", 8080)), "weight", 50))),
                RouterMock.json(destinations(1)));
        assertEquals(RouterMock.json(List.of(Map.of("destination", Map.of("host", "reviews", "subset", "v1")))),
                RouterMock.json(destinations(0)));
    }

    @Test
    void subsetModeIgnoresSubsetsOfOtherHosts() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: cart, subset: blue}
                """));
        RolloutException e = assertThrows(RolloutException.class, () -> router(RouterSpec.istioSubsets("shop", "shop")).verify());
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("destination host 'shop' and subsets 'blue' and/or 'green'"), e.getMessage());
        assertTrue(e.getMessage().contains("host 'cart' subset 'blue'"), e.getMessage());
    }

    @Test
    void readsWeightsAsIstioAppliesThem() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue}
                    weight: 1
                  - destination: {host: shop-green}
                    weight: 3
                """));
        assertEquals(new Weights(25, 75), router(BY_SERVICES).read(), "weights are relative");
        cluster.client.genericKubernetesResources(type).inNamespace(NAMESPACE).withName("shop").delete();
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue}
                  - destination: {host: shop-green}
                    weight: 10
                """));
        assertEquals(new Weights(0, 100), router(BY_SERVICES).read(), "a missing weight among several destinations is 0");
        cluster.client.genericKubernetesResources(type).inNamespace(NAMESPACE).withName("shop").delete();
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-green}
                    weight: 0
                """));
        assertEquals(new Weights(0, 100), router(BY_SERVICES).read(), "a lone destination gets all traffic whatever its weight");
    }

    @Test
    void aRouteThatSendsNoTrafficCannotBeRead() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue}
                    weight: 0
                  - destination: {host: shop-green}
                """));
        RolloutException read = assertThrows(RolloutException.class, () -> router(BY_SERVICES).read());
        assertEquals(RolloutException.Kind.TRAFFIC, read.kind());
        assertTrue(read.getMessage().contains("sends no traffic at all"), read.getMessage());
        assertEquals(RolloutException.Kind.INVALID_INPUT, assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify()).kind());
        assertEquals(new Weights(100, 0), router(BY_SERVICES).write(new Weights(100, 0)), "a write repairs it");
    }

    @Test
    void refusesARouteWhereAThirdDestinationTakesTraffic() {
        cluster.create(type, virtualService("""
                - route:
                  - destination: {host: shop-blue}
                    weight: 80
                  - destination: {host: shop-legacy}
                    weight: 20
                """));
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify());
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("spec.http[0] also sends traffic to host 'shop-legacy'"), e.getMessage());
        String rv = cluster.get(type, "shop").getMetadata().getResourceVersion();
        cluster.forgetRequests();
        assertThrows(RolloutException.class, () -> router(BY_SERVICES).write(new Weights(50, 50)));
        assertEquals(List.of("GET"), cluster.methodsOn(PATH));
        assertEquals(rv, cluster.get(type, "shop").getMetadata().getResourceVersion());
    }

    @Test
    void routesThatDisagreeAreReportedAndAWriteAlignsThem() {
        cluster.create(type, virtualService("""
                - name: testers
                  match: [{headers: {x-tester: {exact: "1"}}}]
                  route:
                  - destination: {host: shop-green}
                - name: default
                  route:
                  - destination: {host: shop-blue}
                """));
        RolloutException verify = assertThrows(RolloutException.class, () -> router(BY_SERVICES).verify());
        assertEquals(RolloutException.Kind.INVALID_INPUT, verify.kind());
        assertTrue(verify.getMessage().contains("spec.http[0] 'testers' blue 0 % / green 100 %; spec.http[1] 'default' blue 100 % / green 0 %"),
                verify.getMessage());
        assertEquals(RolloutException.Kind.TRAFFIC, assertThrows(RolloutException.class, () -> router(BY_SERVICES).read()).kind());
        assertEquals(new Weights(100, 0), router(BY_SERVICES).write(new Weights(100, 0)));
    }

    @Test
    void retriesAfterAConflictOnThePut() {
        cluster.create(type, VIRTUAL_SERVICE);
        cluster.conflictOnPut(PATH, 1);
        assertEquals(new Weights(95, 5), router(BY_SERVICES).write(new Weights(95, 5)));
        assertEquals(List.of("GET", "PUT", "GET", "PUT", "GET"), cluster.methodsOn(PATH));
        assertEquals(new Weights(95, 5), router(BY_SERVICES).read());
    }

    @Test
    void givesUpAfterFiveConflicts() {
        cluster.create(type, VIRTUAL_SERVICE);
        cluster.conflictOnPut(PATH, 0);
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).write(new Weights(95, 5)));
        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        assertTrue(e.getMessage().contains("during each of 5 attempts (HTTP 409 Conflict)"), e.getMessage());
        assertEquals(5, cluster.methodsOn(PATH).stream().filter("PUT"::equals).count());
        assertEquals(new Weights(100, 0), router(BY_SERVICES).read());
    }

    @Test
    void anotherErrorOnThePutIsNotRetried() {
        cluster.create(type, VIRTUAL_SERVICE);
        cluster.server.expect().put().withPath(PATH).andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"virtualservices.networking.istio.io \\\"shop\\\" is forbidden\"}").once();
        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).write(new Weights(95, 5)));
        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        assertTrue(e.getMessage().startsWith("could not update the VirtualService 'shop' in namespace 'shop': HTTP 403"), e.getMessage());
        assertTrue(e.getMessage().contains("RBAC"), e.getMessage());
        assertEquals(List.of("GET", "PUT"), cluster.methodsOn(PATH));
    }

    @Test
    void detectsAReadBackThatDiffersFromTheWrite() {
        cluster.create(type, VIRTUAL_SERVICE);
        GenericKubernetesResource current = cluster.get(type, "shop");
        GenericKubernetesResource tampered = cluster.parse(cluster.client.getKubernetesSerialization().asJson(current));
        Map<String, Object> spec = WeightedRouteRouter.map(tampered.getAdditionalProperties().get("spec"));
        List<Object> route = WeightedRouteRouter.list(WeightedRouteRouter.map(WeightedRouteRouter.list(spec.get("http")).get(1)).get("route"));
        WeightedRouteRouter.map(route.get(0)).put("weight", 95);
        WeightedRouteRouter.map(route.get(1)).put("weight", 5);
        cluster.answerGets(PATH, current, tampered);
        cluster.forgetRequests();

        RolloutException e = assertThrows(RolloutException.class, () -> router(BY_SERVICES).write(new Weights(50, 50)));
        assertEquals(RolloutException.Kind.TRAFFIC, e.kind());
        assertTrue(e.getMessage().startsWith("the VirtualService 'shop' in namespace 'shop' holds blue 95 % / green 5 % "
                + "after writing blue 50 % / green 50 %"), e.getMessage());
        assertEquals(List.of("GET", "PUT", "GET"), cluster.methodsOn(PATH));
    }
}
