package io.jenkins.plugins.bluegreen.net;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Collectors;

/**
 * TEST CODE: the selector thread of a transport's JDK HttpClient ({@code HttpClient-<id>-SelectorManager}), and waiting
 * for it to end once the client is dropped.
 */
public final class SelectorThreads {

    private SelectorThreads() {}

    /** The name of the selector thread of the transport's client (built if need be); keeps no reference to the client. */
    public static String of(HttpTransport transport) {
        // HttpClientImpl.toString() ends with "(id)", and its selector thread is named after that id
        String text = transport.client().toString();
        String id = text.substring(text.lastIndexOf('(') + 1, text.lastIndexOf(')'));
        return "HttpClient-" + id + "-SelectorManager";
    }

    public static boolean alive(String threadName) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName) && t.isAlive());
    }

    /** The selector threads of every JDK HttpClient alive now. */
    public static List<String> all() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("HttpClient-") && n.endsWith("-SelectorManager")).sorted().collect(Collectors.toList());
    }

    /**
     * Waits for a dropped client's selector thread to end, and fails if it does not. On Java 17 the thread ends once the
     * client is collected (it looks every few seconds), so this collects garbage while it waits; on Java 21 and later
     * {@link HttpTransport#close} has shut it down.
     */
    public static void awaitEnded(String threadName) throws InterruptedException {
        for (int i = 0; i < 300 && alive(threadName); i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertFalse(alive(threadName), threadName + " still runs; selector threads now: " + all());
    }
}
