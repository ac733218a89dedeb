package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Input the engine refuses before it touches a cluster, each with a message that says what is wrong. */
class SpecValidationTest {

    private static final RolloutTarget TARGET = new RolloutTarget("shop", "checkout");
    private static final RouterSpec ROUTER = RouterSpec.serviceSelector("checkout");

    private static String invalid(org.junit.jupiter.api.function.Executable e) {
        RolloutException x = assertThrows(RolloutException.class, e);
        assertEquals(RolloutException.Kind.INVALID_INPUT, x.kind(), x.getMessage());
        return x.getMessage();
    }

    @ParameterizedTest
    @CsvSource({
        "registry.example.com/checkout:latest, uses the tag 'latest'",
        "checkout:LATEST, uses the tag 'latest'",
        "registry.example.com/checkout, has no tag",
        "registry.example.com:5000/team/checkout, has no tag",
        "checkout@sha256:1234, has a malformed digest",
        "'checkout:1.4.0 ', contains white space",
        "checkout:-bad, has an invalid tag",
    })
    void mutableOrMalformedImagesAreRefused(String image, String why) {
        String message = invalid(() -> new CandidateSource.NewImage(image, null));
        assertEquals(true, message.contains(why), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "registry.example.com/checkout:1.4.0",
        "registry.example.com:5000/team/checkout:v1.4.0-rc.1",
        "checkout@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.example.com/checkout:1.4.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void immutableImagesAreAccepted(String image) {
        ImageReference.check(image);
    }

    @Test
    void weightsAreWholePercentagesSummingTo100() {
        assertEquals("weights must sum to 100, got blue 50 + green 60 = 110", invalid(() -> new Weights(50, 60)));
        assertEquals("weights must be whole percentages from 0 to 100, got blue -5 and green 105", invalid(() -> new Weights(-5, 105)));
        assertEquals("a traffic weight must be a whole percentage from 0 to 100, got 101", invalid(() -> Weights.of(Color.GREEN, 101)));
        assertEquals(new Weights(95, 5), Weights.of(Color.GREEN, 5));
        assertEquals(new Weights(100, 0), Weights.all(Color.BLUE));
    }

    @Test
    void namesAreKubernetesNames() {
        assertEquals("'Shop' is not a valid namespace (lower-case letters, digits and '-', at most 63)",
                invalid(() -> new RolloutTarget("Shop", "checkout")));
        assertEquals("a service name is required", invalid(() -> new RolloutTarget("shop", " ")));
        invalid(() -> new RolloutTarget("shop", "a".repeat(48)));
        invalid(() -> new RolloutTarget("shop", "check_out"));
        assertEquals("the router object name 'Checkout VS' is not a valid Kubernetes name",
                invalid(() -> RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, "Checkout VS", "checkout")));
        assertEquals("the blue and green destinations must differ, both are 'checkout'",
                invalid(() -> new RouterSpec(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "r", "checkout", "checkout", null)));
        assertEquals("only an Istio VirtualService splits by subset",
                invalid(() -> new RouterSpec(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "r", "blue", "green", "checkout")));
    }

    @Test
    void timeoutsReplicasAndOwnersAreBounded() {
        CandidateSource image = new CandidateSource.NewImage("checkout:1.4.0", null);
        assertEquals("the readiness timeout must be positive, got -5 s",
                invalid(() -> new DeploySpec(TARGET, image, ROUTER, null, Duration.ofSeconds(-5), "build-1")));
        assertEquals("the readiness timeout of 10800 s is longer than the limit of 7200 s",
                invalid(() -> new DeploySpec(TARGET, image, ROUTER, null, Duration.ofHours(3), "build-1")));
        assertEquals("replicas must be from 1 to 1000, got 0", invalid(() -> new DeploySpec(TARGET, image, ROUTER, 0, null, "build-1")));
        invalid(() -> new DeploySpec(TARGET, image, ROUTER, 5000, null, "build-1"));
        assertEquals("an owner (e.g. the build URL) is required", invalid(() -> new DeploySpec(TARGET, image, ROUTER, null, null, " ")));
        invalid(() -> new DeploySpec(TARGET, image, ROUTER, null, null, "line\nbreak"));
        assertEquals(DeploySpec.DEFAULT_READINESS_TIMEOUT, new DeploySpec(TARGET, image, ROUTER, null, null, "b").readinessTimeout());
        assertEquals("the manifest is empty", invalid(() -> new CandidateSource.Manifest("  ")));
    }
}
