package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.smoke.SmokeCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code smokeTest(...)} as Pipeline binds it: constructor, then setters; bad values fail at binding. */
class SmokeTestArgumentsTest {

    @Test
    void defaults() {
        SmokeTest t = new SmokeTest(" /healthz ");
        assertEquals("/healthz", t.getPath());
        assertEquals(200, t.getStatus());
        assertNull(t.getBodyContains());
        assertEquals("2s", t.getMaxLatency());
        assertEquals(new SmokeCheck("/healthz", 200, null, Duration.ofSeconds(2)), t.toCheck());
    }

    @Test
    void everyArgumentReachesTheCheck() {
        SmokeTest t = new SmokeTest("/ready?deep=1");
        t.setStatus(204);
        t.setBodyContains(" ok");
        t.setMaxLatency("1s500ms");
        assertEquals("1s500ms", t.getMaxLatency(), "kept as written, for the Snippet Generator");
        assertEquals(new SmokeCheck("/ready?deep=1", 204, " ok", Duration.ofMillis(1500)), t.toCheck());
        t.setBodyContains("");
        t.setMaxLatency(" ");
        assertNull(t.toCheck().bodyContains());
        assertEquals("2s", t.getMaxLatency());
    }

    @Test
    void badPath() {
        assertEquals(Messages.SmokeTest_PathRequired(), assertThrows(IllegalArgumentException.class, () -> new SmokeTest(" ").validate()).getMessage());
        for (String bad : new String[] {"healthz", "/a b", "/x#y", "/" + "a".repeat(2000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SmokeTest(bad).validate(), bad);
            assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
            assertTrue(e.getMessage().length() < 400, "a long path is not repeated whole");
        }
    }

    @Test
    void badStatus() {
        SmokeTest t = new SmokeTest("/");
        t.setStatus(600);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::validate);
        assertEquals(Messages.SmokeTest_StatusInvalid("600"), e.getMessage());
        t.setStatus(0);
        assertThrows(IllegalArgumentException.class, t::validate);
        t.setStatus(200);
        t.validate();
    }

    @Test
    void badLatency() {
        SmokeTest t = new SmokeTest("/");
        assertEquals(Messages.DurationArgument_Invalid("maxLatency", "fast"),
                assertThrows(IllegalArgumentException.class, () -> latency(t, "fast")).getMessage());
        assertEquals(Messages.SmokeTest_MaxLatencyInvalid("0s"),
                assertThrows(IllegalArgumentException.class, () -> latency(t, "0s")).getMessage());
        assertEquals(Messages.SmokeTest_MaxLatencyInvalid("5m1s"),
                assertThrows(IllegalArgumentException.class, () -> latency(t, "5m1s")).getMessage());
        t.setMaxLatency("5m");
        assertEquals(Duration.ofMinutes(5), t.toCheck().maxLatency());
    }

    @Test
    void badBodyContains() {
        SmokeTest t = new SmokeTest("/");
        t.setBodyContains("x".repeat(1001));
        assertThrows(IllegalArgumentException.class, t::validate);
    }

    /** Binding never fails; the step checks its smoke tests when it starts. */
    private static void latency(SmokeTest t, String value) {
        t.setMaxLatency(value);
        t.validate();
    }
}
