package io.jenkins.plugins.bluegreen.traffic;

import static io.jenkins.plugins.bluegreen.traffic.RouterMock.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceSelectorRouterTest {

    private static final String PATH = "/api/v1/namespaces/shop/services/shop";

    private RouterMock cluster;
    private ServiceSelectorRouter router;

    @BeforeEach
    void start() {
        cluster = new RouterMock();
        router = new ServiceSelectorRouter(cluster.client, NAMESPACE, RouterSpec.serviceSelector("shop"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Service create(Map<String, String> selector) {
        Service s = new ServiceBuilder()
                .withNewMetadata().withName("shop").addToLabels("app", "shop").addToAnnotations("team", "checkout").endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector)
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort()
                .endSpec().build();
        Service created = cluster.client.services().inNamespace(NAMESPACE).resource(s).create();
        cluster.forgetRequests();
        return created;
    }

    private Service current() {
        return cluster.client.services().inNamespace(NAMESPACE).withName("shop").get();
    }

    @Test
    void verifyAcceptsAServiceSelectingAColour() {
        create(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"));
        router.verify();
        assertEquals(Optional.of(Color.BLUE), router.selectedColor());
        assertTrue(router.allOrNothing());
    }

    @Test
    void verifyReportsAMissingService() {
        RolloutException e = assertThrows(RolloutException.class, router::verify);
        assertEquals(RolloutException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().startsWith("The Service 'shop' in namespace 'shop' does not exist"), e.getMessage());
    }

    @Test
    void aServiceThatSelectsNoColourYetPassesVerifyButHasNoWeights() {
        create(Map.of("app", "shop"));
        router.verify(); // the first rollout's write adds the key
        RolloutException e = assertThrows(RolloutException.class, router::read);
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("The Service 'shop' in namespace 'shop' does not select a colour yet: "
                + "its selector {app=shop} has no 'bluegreen.jenkins.io/color' key"), e.getMessage());
        assertEquals(Optional.empty(), router.selectedColor(), "callers that know the live colour can handle this case");
    }

    @Test
    void verifyRejectsAServiceWithoutSelector() {
        create(Map.of());
        RolloutException e = assertThrows(RolloutException.class, router::verify);
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("has no selector, so it cannot be switched between colours"), e.getMessage());
        assertThrows(RolloutException.class, () -> router.write(Weights.all(Color.GREEN)));
        assertEquals(List.of("GET", "GET"), cluster.methodsOn(PATH), "nothing was written");
    }

    @Test
    void readsTheSelectedColourAsAllOrNothing() {
        create(Map.of("app", "shop", Workloads.COLOR_LABEL, "green"));
        assertEquals(new Weights(0, 100), router.read());
        Service s = current();
        s.getSpec().getSelector().put(Workloads.COLOR_LABEL, "purple");
        cluster.client.services().inNamespace(NAMESPACE).resource(s).update();
        RolloutException e = assertThrows(RolloutException.class, router::read);
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("selects 'bluegreen.jenkins.io/color=purple'; expected blue or green"), e.getMessage());
    }

    @Test
    void switchesTheSelectorBothWaysLeavingEverythingElse() {
        Service before = create(Map.of("app", "shop", "tier", "web", Workloads.COLOR_LABEL, "blue"));
        assertEquals(new Weights(0, 100), router.write(new Weights(0, 100)));
        assertEquals(List.of("GET", "PUT", "GET"), cluster.methodsOn(PATH));
        Service after = current();
        assertEquals(Map.of("app", "shop", "tier", "web", Workloads.COLOR_LABEL, "green"), after.getSpec().getSelector());
        assertEquals(before.getSpec().getPorts(), after.getSpec().getPorts());
        assertEquals(before.getMetadata().getLabels(), after.getMetadata().getLabels());
        assertEquals(before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
        assertEquals(new Weights(0, 100), router.read());

        assertEquals(new Weights(100, 0), router.write(new Weights(100, 0)));
        assertEquals(Map.of("app", "shop", "tier", "web", Workloads.COLOR_LABEL, "blue"), current().getSpec().getSelector());
        cluster.forgetRequests();
        assertEquals(new Weights(100, 0), router.write(new Weights(100, 0)));
        assertEquals(List.of("GET", "GET"), cluster.methodsOn(PATH), "no PUT when the selector is already right");
    }

    @Test
    void refusesAPartialSplitWithoutTouchingTheService() {
        Service before = create(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"));
        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(5, 95)));
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("The Service 'shop' in namespace 'shop' is switched by its selector, which moves all "
                + "traffic at once: it can send blue 100 % or green 100 %, not blue 5 % / green 95 %"), e.getMessage());
        assertTrue(e.getMessage().contains("Istio VirtualService or Gateway API HTTPRoute"), e.getMessage());
        assertEquals(List.of(), cluster.drain(), "no request at all");
        Service after = current();
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals("blue", after.getSpec().getSelector().get(Workloads.COLOR_LABEL));
    }

    @Test
    void writeAddsTheColourKeyToASelectorWithoutOne() {
        create(Map.of("app", "shop"));
        assertEquals(new Weights(100, 0), router.write(new Weights(100, 0)));
        assertEquals(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"), current().getSpec().getSelector());
    }

    @Test
    void retriesAfterAConflictOnThePut() {
        create(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"));
        cluster.conflictOnPut(PATH, 1);
        assertEquals(new Weights(0, 100), router.write(new Weights(0, 100)));
        assertEquals(List.of("GET", "PUT", "GET", "PUT", "GET"), cluster.methodsOn(PATH));
        assertEquals("green", current().getSpec().getSelector().get(Workloads.COLOR_LABEL));
    }

    @Test
    void givesUpAfterFiveConflicts() {
        create(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"));
        cluster.conflictOnPut(PATH, 0);
        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(0, 100)));
        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        assertTrue(e.getMessage().startsWith("could not update the Service 'shop' in namespace 'shop'"), e.getMessage());
        assertEquals(5, cluster.methodsOn(PATH).stream().filter("PUT"::equals).count());
        assertEquals("blue", current().getSpec().getSelector().get(Workloads.COLOR_LABEL));
    }

    @Test
    void detectsAReadBackThatDiffersFromTheWrite() {
        Service current = create(Map.of("app", "shop", Workloads.COLOR_LABEL, "blue"));
        cluster.answerGets(PATH, current, current); // the read-back still shows blue
        RolloutException e = assertThrows(RolloutException.class, () -> router.write(new Weights(0, 100)));
        assertEquals(RolloutException.Kind.TRAFFIC, e.kind());
        assertTrue(e.getMessage().startsWith("the Service 'shop' in namespace 'shop' holds blue 100 % / green 0 % "
                + "(selector 'bluegreen.jenkins.io/color=blue') after writing blue 0 % / green 100 %"), e.getMessage());
        assertEquals(List.of("GET", "PUT", "GET"), cluster.methodsOn(PATH));
    }
}
