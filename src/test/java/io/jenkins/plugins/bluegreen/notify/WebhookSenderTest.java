package io.jenkins.plugins.bluegreen.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.net.HttpTransport;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deliveries to a real HTTP receiver on the loopback interface: what is retried and what is not, and that a receiver
 * that fails or hangs settles the delivery within its bound ({@link WebhookSender#TOTAL_BOUND}), with the figure printed.
 */
class WebhookSenderTest {

    @RegisterExtension
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-retries");
        t.setDaemon(true);
        return t;
    });

    private final WebhookSender sender = new WebhookSender(HttpTransport.of(HttpClient.newBuilder()), SCHEDULER);
    private static final byte[] BODY = "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void reset() {
        RECEIVER.reset();
    }

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    private WebhookSender.Delivery send(String hook) throws Exception {
        return sender.send(URI.create(RECEIVER.url(hook)), BODY).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aReceiverThatAnswers2xxGetsTheBodyOnce() throws Exception {
        WebhookSender.Delivery d = send("ok");
        assertTrue(d.delivered());
        assertEquals(1, d.attempts());
        assertEquals(200, d.status());
        assertNull(d.problem());
        assertEquals(1, RECEIVER.requests("ok").size());
        assertEquals("{\"text\":\"hello\"}", RECEIVER.requests("ok").get(0).body());
        assertEquals("application/json; charset=utf-8", RECEIVER.requests("ok").get(0).contentType());
    }

    @Test
    void aServerErrorIsTriedThreeTimesAndSettlesWellWithinTheBound() throws Exception {
        RECEIVER.answer("broken", 500);
        WebhookSender.Delivery d = send("broken");
        System.out.println("webhook answering 500: given up after " + d.attempts() + " attempts in " + d.millis() + " ms");
        assertFalse(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals("HTTP 500", d.problem());
        assertEquals(3, RECEIVER.requests("broken").size());
        assertTrue(d.millis() >= 1400, "backs off 0.5 s, then 1 s: " + d.millis());
        assertTrue(d.millis() < WebhookSender.TOTAL_BOUND.toMillis(), d.millis() + " ms");
    }

    @Test
    void tooManyRequestsThenSuccessIsDeliveredOnTheSecondAttempt() throws Exception {
        RECEIVER.answer("busy", 429, 202);
        WebhookSender.Delivery d = send("busy");
        assertTrue(d.delivered());
        assertEquals(2, d.attempts());
        assertEquals(202, d.status());
    }

    @Test
    void aClientErrorOrARedirectIsFinalAndARedirectIsNotFollowed() throws Exception {
        RECEIVER.answer("gone", 404);
        WebhookSender.Delivery gone = send("gone");
        assertEquals(1, gone.attempts());
        assertEquals("HTTP 404", gone.problem());

        RECEIVER.answer("moved", 302);
        WebhookSender.Delivery moved = send("moved");
        assertEquals(1, moved.attempts());
        assertEquals("HTTP 302", moved.problem());
        assertTrue(RECEIVER.requests("redirected").isEmpty(), "the message never goes anywhere but the URL given");
    }

    @Test
    void aRefusedConnectionIsRetriedAndDescribedWithoutTheUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        WebhookSender.Delivery d = sender.send(URI.create("http://127.0.0.1:" + closed + "/hooks/x/" + WebhookReceiver.SECRET), BODY)
                .get(30, TimeUnit.SECONDS);
        assertFalse(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals("the connection was refused", d.problem());
    }

    /** The longest a delivery can take: three attempts that time out, with the backoff in between, cut at the bound. */
    @Test
    void aReceiverThatNeverAnswersSettlesWithinTheBound() throws Exception {
        RECEIVER.answer("hanging", WebhookReceiver.HANG);
        long start = System.nanoTime();
        WebhookSender.Delivery d = send("hanging");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("webhook that never answers: given up after " + d.attempts() + " attempts in " + took + " ms (bound "
                + WebhookSender.TOTAL_BOUND.toMillis() + " ms)");
        assertFalse(d.delivered());
        assertEquals(3, d.attempts());
        assertTrue(d.problem().startsWith("no answer within "), d.problem());
        assertEquals(3, RECEIVER.requests("hanging").size());
        assertTrue(took <= WebhookSender.TOTAL_BOUND.toMillis() + 1500, "settled within the bound (and scheduling slack): " + took);
        assertFalse(d.problem().contains(WebhookReceiver.SECRET));
    }
}
