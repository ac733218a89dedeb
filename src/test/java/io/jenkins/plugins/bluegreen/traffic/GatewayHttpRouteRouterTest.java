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

class GatewayHttpRouteRouterTest {

    private static final RouterSpec SPEC = RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "shop", "shop");
    private static final String PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/shop";

    /** An unrelated weighted rule, a managed rule with matches, filters and timeouts, and a redirect rule. */
    private static final String HTTP_ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shop
              labels: {app: shop}
            spec:
              parentRefs:
              - {name: public, namespace: infra, sectionName: https}
              hostnames: [shop.example.com]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /static}
                backendRefs:
                - {name: cdn-cache, port: 80, weight: 3}
                - {name: cdn-origin, port: 80, weight: 1}
              - name: main
                matches:
                - path: {type: PathPrefix, value: /}
                  headers: [{name: x-env, value: prod}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    add: [{name: x-via, value: gateway}]
                timeouts: {request: 10s}
                backendRefs:
                - {group: "", kind: Service, name: shop-blue, port: 8080, weight: 100}
                - {name: shop-green, port: 8080, weight: 0}
              - matches:
                - path: {type: PathPrefix, value: /old}
                filters:
                - type: RequestRedirect
                  requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /}, statusCode: 301}
            """;

    private RouterMock cluster;
    private ResourceDefinitionContext type;
    private GatewayHttpRouteRouter router;

    @BeforeEach
    void start() {
        cluster = new RouterMock();
        router = new GatewayHttpRouteRouter(cluster.client, NAMESPACE, SPEC);
        type = router.resource();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String httpRoute(String backendRefs) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: shop}
                spec:
                  parentRefs: [{name: public}]
                  rules:
                  - backendRefs:
                """ + backendRefs.indent(4);
    }

    private List<Object> backendRefs(int rule) {
        Map<String, Object> spec = WeightedRouteRouter.map(cluster.get(type, "shop").getAdditionalProperties().get("spec"));
        return WeightedRouteRouter.list(WeightedRouteRouter.map(WeightedRouteRouter.list(spec.get("rules")).get(rule)).get("backendRefs"));
    }

    private Object weight(int rule, int ref) {
        return WeightedRouteRouter.map(backendRefs(rule).get(ref)).get("weight");
    }

    @Test
    void usesTheV1Api() {
        assertEquals(PATH, RouterMock.path(type, "shop"));
    }

    @Test
    void verifyAcceptsARouteToBothColours() {
        cluster.create(type, HTTP_ROUTE);
        router.verify();
        assertEquals(List.of("GET"), cluster.methodsOn(PATH));
    }

    @Test
    void verifyReportsAMissingRoute() {
        RolloutException e = assertThrows(RolloutException.class, router::verify);
        assertEquals(RolloutException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("HTTPRoute 'shop' in namespace 'shop' does not exist"), e.getMessage());
    }

    @Test
    void verifyRejectsARouteWithoutTheColours() {
        cluster.create(type, httpRoute("""
                - {name: shop, port: 80}
                - {group: multicluster.x-k8s.io, kind: ServiceImport, name: shop-green, port: 80, weight: 0}
                - {name: shop-blue, namespace: other, port: 80, weight: 0}
                """));
        RolloutException e = assertThrows(RolloutException.class, router::verify);
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("HTTPRoute 'shop' in namespace 'shop' has no route to the colours"), e.getMessage());
        assertTrue(e.getMessage().contains("the Services 'shop-blue' and/or 'shop-green' in namespace 'shop'"), e.getMessage());
        assertTrue(e.getMessage().contains("Service 'shop', ServiceImport 'shop-green', Service 'shop-blue' in namespace 'other'"),
                e.getMessage());
    }

    @Test
    void shiftsStepByStepAndBackReadingEachWriteBack() {
        cluster.create(type, HTTP_ROUTE);
        assertEquals(new Weights(100, 0), router.read());
        for (int green : new int[] {5, 50, 100, 50, 5, 0}) {
            Weights w = Weights.of(Color.GREEN, green);
            assertEquals(w, router.write(w));
            assertEquals(w, router.read());
            assertEquals(100 - green, weight(1, 0));
            assertEquals(green, weight(1, 1));
        }
    }

    @Test
    void leavesOtherRulesAndFieldsUntouched() {
        cluster.create(type, HTTP_ROUTE);
        GenericKubernetesResource before = cluster.get(type, "shop");
        Object staticRule = RouterMock.json(backendRefs(0));
        assertEquals(new Weights(50, 50), router.write(new Weights(50, 50)));
        GenericKubernetesResource after = cluster.get(type, "shop");
        assertNotEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(cluster.withoutWeights(before), cluster.withoutWeights(after));
        assertEquals(staticRule, RouterMock.json(backendRefs(0)));
    }

    @Test
    void addsTheMissingColourWithWeightZeroCopyingThePort() {
        cluster.create(type, httpRoute("""
                - {name: shop-green, port: 8080}
                """));
        router.verify();
        assertEquals(new Weights(0, 100), router.read(), "a lone backend without weight gets all traffic");
        assertEquals(new Weights(0, 100), router.write(new Weights(0, 100)));
        assertEquals(RouterMock.json(List.of(
                Map.of("name", "shop-green", "port", 8080, "weight", 100),
                Map.of("name", "shop-blue", "port", 8080, "weight", 0))),
                RouterMock.json(backendRefs(0)));
    }

    @Test
    void readsWeightsAsTheGatewayApiDefinesThem() {
        cluster.create(type, httpRoute("""
                - {name: shop-blue, port: 80}
                - {name: shop-green, port: 80}
                """));
        assertEquals(new Weights(50, 50), router.read(), "a missing weight is 1");
        cluster.client.genericKubernetesResources(type).inNamespace(NAMESPACE).withName("shop").delete();
        cluster.create(type, httpRoute("""
                - {name: shop-blue, port: 80, weight: 1}
                - {name: shop-green, port: 80, weight: 2}
                - {name: shop-legacy, port: 80, weight: 0}
                """));
        assertEquals(new Weights(33, 67), router.read(), "weights are relative, rounded to whole percent");
    }

    @Test
    void aRuleWhoseWeightsAreAllZeroSendsNoTraffic() {
        cluster.create(type, httpRoute("""
                - {name: shop-blue, port: 80, weight: 0}
                """));
        RolloutException e = assertThrows(RolloutException.class, router::read);
        assertEquals(RolloutException.Kind.TRAFFIC, e.kind());
        assertTrue(e.getMessage().contains("spec.rules[0] gives weight 0 to every destination"), e.getMessage());
        assertEquals(new Weights(100, 0), router.write(new Weights(100, 0)));
    }

    @Test
    void refusesARuleWhereAThirdBackendTakesTraffic() {
        cluster.create(type, httpRoute("""
                - {name: shop-blue, port: 80, weight: 90}
                - {name: shop-legacy, port: 80}
                """));
        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(50, 50)));
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("spec.rules[0] also sends traffic to Service 'shop-legacy'"), e.getMessage());
        assertEquals(List.of("GET"), cluster.methodsOn(PATH));
    }

    @Test
    void retriesAfterAConflictOnThePut() {
        cluster.create(type, HTTP_ROUTE);
        cluster.conflictOnPut(PATH, 1);
        assertEquals(new Weights(95, 5), router.write(new Weights(95, 5)));
        assertEquals(List.of("GET", "PUT", "GET", "PUT", "GET"), cluster.methodsOn(PATH));
        assertEquals(new Weights(95, 5), router.read());
    }

    @Test
    void givesUpAfterFiveConflicts() {
        cluster.create(type, HTTP_ROUTE);
        cluster.conflictOnPut(PATH, 0);
        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(95, 5)));
        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        assertEquals(5, cluster.methodsOn(PATH).stream().filter("PUT"::equals).count());
    }

    @Test
    void detectsAReadBackThatDiffersFromTheWrite() {
        cluster.create(type, HTTP_ROUTE);
        GenericKubernetesResource current = cluster.get(type, "shop");
        GenericKubernetesResource tampered = cluster.parse(cluster.client.getKubernetesSerialization().asJson(current));
        Map<String, Object> spec = WeightedRouteRouter.map(tampered.getAdditionalProperties().get("spec"));
        List<Object> refs = WeightedRouteRouter.list(WeightedRouteRouter.map(WeightedRouteRouter.list(spec.get("rules")).get(1)).get("backendRefs"));
        WeightedRouteRouter.map(refs.get(1)).remove("weight"); // blue 100 : green 1 (the default)
        cluster.answerGets(PATH, current, tampered);
        cluster.forgetRequests();

        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(50, 50)));
        assertEquals(RolloutException.Kind.TRAFFIC, e.kind());
        assertTrue(e.getMessage().startsWith("the HTTPRoute 'shop' in namespace 'shop' holds blue 99 % / green 1 % "
                + "after writing blue 50 % / green 50 %"), e.getMessage());
        assertEquals(List.of("GET", "PUT", "GET"), cluster.methodsOn(PATH));
    }
}
