package io.jenkins.plugins.bluegreen.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeCheckTest {

    @Test
    void defaults() {
        SmokeCheck c = new SmokeCheck("/healthz");
        assertEquals(200, c.expectedStatus());
        assertNull(c.bodyContains());
        assertEquals(Duration.ofSeconds(2), c.maxLatency());
        assertEquals(Duration.ofSeconds(2), new SmokeCheck("/", 204, null, null).maxLatency());
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndValue() {
        assertMessage("path", "\"healthz\"", () -> new SmokeCheck("healthz"));
        assertMessage("path", "\"/a b\"", () -> new SmokeCheck("/a b"));
        assertMessage("path", "\\u000a", () -> new SmokeCheck("/a\nb"));
        assertMessage("path", "\"/x#top\"", () -> new SmokeCheck("/x#top"));
        assertMessage("path", "...", () -> new SmokeCheck("/" + "a".repeat(2000)));
        assertMessage("expectedStatus", "600", () -> new SmokeCheck("/", 600, null, null));
        assertMessage("expectedStatus", "99", () -> new SmokeCheck("/", 99, null, null));
        assertMessage("bodyContains", "0 characters", () -> new SmokeCheck("/", 200, "", null));
        assertMessage("maxLatency", "0 ms", () -> new SmokeCheck("/", 200, null, Duration.ZERO));
        assertMessage("maxLatency", "300001 ms", () -> new SmokeCheck("/", 200, null, Duration.ofMillis(300_001)));
        new SmokeCheck("/" + "a".repeat(1999), 599, "x", Duration.ofMinutes(5));
    }

    @Test
    void survivesSerialization() throws Exception {
        SmokeCheck c = new SmokeCheck("/healthz?x=1", 204, "ok", Duration.ofMillis(500));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(c, in.readObject());
        }
    }

    @Test
    void requestsGetTheirBudgetPlusAMargin() {
        assertEquals(Duration.ofMillis(600), SmokeTester.deadline(Duration.ofMillis(100)));
        assertEquals(Duration.ofSeconds(3), SmokeTester.deadline(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(305), SmokeTester.deadline(Duration.ofMinutes(5)));
        assertEquals("2s", SmokeTester.format(Duration.ofSeconds(2)));
        assertEquals("1500ms", SmokeTester.format(Duration.ofMillis(1500)));
        assertEquals("5m", SmokeTester.format(Duration.ofMinutes(5)));
    }

    private static void assertMessage(String field, String value, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }
}
