package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Jenkins lab reads a version's behaviour from its image tag. */
class ImageBehaviourTest {

    @Test
    void theTagChoosesTheFaults() {
        assertEquals(new ImageBehaviour("1.1.7-healthy", 0, Duration.ZERO, 0),
                ImageBehaviour.of("registry.example.com/shop/checkout:1.1.7-healthy"));
        assertEquals(new ImageBehaviour("2.0.0-faulty", 0.08, Duration.ZERO, 0), ImageBehaviour.of("checkout:2.0.0-faulty"));
        assertEquals(new ImageBehaviour("2.0.0-slow", 0, Duration.ofSeconds(2), 0), ImageBehaviour.of("checkout:2.0.0-slow"));
        assertEquals(new ImageBehaviour("2.0.0-DBLeak", 0, Duration.ZERO, 0.92), ImageBehaviour.of("checkout:2.0.0-DBLeak"));
        assertEquals(new ImageBehaviour("3-slow-faulty", 0.08, Duration.ofSeconds(2), 0), ImageBehaviour.of("c:3-slow-faulty"));
        assertEquals("8 % 5xx, +2 s latency", ImageBehaviour.of("c:3-slow-faulty").describe());
        assertEquals("healthy", ImageBehaviour.of("c:3-slow-faulty").healed().describe());
    }

    @Test
    void theVersionIsTheTagOrTheDigest() {
        assertEquals("1.2", ImageBehaviour.version("registry.example.com:5000/shop/checkout:1.2"));
        assertEquals("latest", ImageBehaviour.version("registry.example.com:5000/shop/checkout"));
        assertEquals("sha256:abc", ImageBehaviour.version("registry.example.com/shop/checkout@sha256:abc"));
    }
}
