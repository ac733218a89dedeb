package io.jenkins.plugins.bluegreen.lab;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.TrafficRouter;
import io.jenkins.plugins.bluegreen.engine.Weights;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST CODE: sends real HTTP requests at a fixed rate to the blue and green apps, split by the weights it reads
 * from the router object in the (mock) API server every 200 ms, as a mesh sidecar or gateway would follow a
 * VirtualService. A weight the engine writes therefore changes the traffic each app sees, and so the metrics
 * Prometheus scrapes from it.
 *
 * <p>Bounded on purpose: loopback targets only, at most {@code maxInFlight} requests outstanding (more are
 * counted as dropped, not queued), daemon threads, and it stops by itself after {@code maxRunTime}.
 */
public final class LoadGenerator implements AutoCloseable {

    static final Duration WEIGHT_POLL = Duration.ofMillis(200);

    /** Where requests go: the app of each colour and the router object whose weights split them. */
    record Target(Map<Color, URI> apps, TrafficRouter router) {
        Target {
            apps = Map.copyOf(apps);
            for (URI uri : apps.values()) {
                if (!"127.0.0.1".equals(uri.getHost())) {
                    throw new IllegalArgumentException("the load generator only sends to 127.0.0.1, not " + uri);
                }
            }
        }
    }

    private final ScheduledExecutorService sender;
    private final ScheduledExecutorService poller;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final long deadline;
    private final Map<Color, AtomicLong> sent = new EnumMap<>(Color.class);
    private final Map<Color, AtomicLong> ok = new EnumMap<>(Color.class);
    private final AtomicLong notOk = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong weightReadErrors = new AtomicLong();

    private volatile Target target;
    private volatile Weights weights = Weights.all(Color.BLUE);
    private volatile long weightsReadAt;
    private int greenCredit; // sender thread only

    private LoadGenerator(int requestsPerSecond, int maxInFlight, Duration maxRunTime) {
        for (Color c : Color.values()) {
            sent.put(c, new AtomicLong());
            ok.put(c, new AtomicLong());
        }
        this.inFlight = new Semaphore(maxInFlight);
        this.deadline = System.nanoTime() + maxRunTime.toNanos();
        this.httpThreads = Executors.newFixedThreadPool(4, LabApp.daemon("load-http"));
        this.http = HttpClient.newBuilder().executor(httpThreads).connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.sender = Executors.newSingleThreadScheduledExecutor(LabApp.daemon("load-send"));
        this.poller = Executors.newSingleThreadScheduledExecutor(LabApp.daemon("load-weights"));
        long periodMicros = 1_000_000L / requestsPerSecond;
        sender.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
        poller.scheduleWithFixedDelay(this::readWeights, 0, WEIGHT_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sending; until {@link #follow} names a target, nothing is sent.
     *
     * @param requestsPerSecond 1 to 500
     */
    public static LoadGenerator start(int requestsPerSecond, int maxInFlight, Duration maxRunTime) {
        if (requestsPerSecond < 1 || requestsPerSecond > 500) {
            throw new IllegalArgumentException("the lab sends 1 to 500 requests/s, not " + requestsPerSecond);
        }
        return new LoadGenerator(requestsPerSecond, maxInFlight, maxRunTime);
    }

    /** From now on sends to these apps, split by the weights of {@code router} (all to blue until the first read). */
    public void follow(Map<Color, URI> apps, TrafficRouter router) {
        Target next = new Target(apps, router);
        weightsReadAt = 0;
        target = next;
        weights = Weights.all(Color.BLUE);
        poller.execute(this::readWeights);
    }

    /**
     * From now on sends only to these apps, keeping the router and the weights read from it: a colour left out (no
     * ready pods) gets none of the requests its weight would give it, as a mesh with no endpoint for it sends none.
     */
    public void sendOnlyTo(Map<Color, URI> apps) {
        Target t = target;
        if (t == null) {
            throw new IllegalStateException("follow a router first");
        }
        target = new Target(apps, t.router());
    }

    private void readWeights() {
        Target t = target;
        if (t == null) {
            return;
        }
        try {
            Weights w = t.router().read();
            Target now = target;
            if (now != null && now.router() == t.router()) { // not a read of a router we stopped following
                weights = w;
                weightsReadAt = System.nanoTime();
            }
        } catch (RuntimeException e) {
            // keep the last weights, as a proxy keeps its last good configuration
            weightReadErrors.incrementAndGet();
        }
    }

    private void sendOne() {
        if (System.nanoTime() > deadline) {
            sender.shutdown();
            poller.shutdown();
            return;
        }
        Target t = target;
        if (t == null) {
            return;
        }
        // Smooth weighted round robin: exactly green% of every 100 requests go to green, spread evenly, so even a
        // 5 % share gets a steady stream instead of random gaps.
        Weights w = weights;
        greenCredit += w.green();
        Color color;
        if (greenCredit >= 100) {
            greenCredit -= 100;
            color = Color.GREEN;
        } else {
            color = Color.BLUE;
        }
        URI uri = t.apps().get(color);
        if (uri == null) {
            return;
        }
        if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            return;
        }
        sent.get(color).incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error != null) {
                noAnswer.incrementAndGet();
            } else if (response.statusCode() == 200) {
                ok.get(color).incrementAndGet();
            } else {
                notOk.incrementAndGet();
            }
        });
    }

    /** The weights in use now. */
    public Weights weights() {
        return weights;
    }

    /** Waits until the generator has read {@code expected} from the router object; false on timeout. */
    public boolean awaitWeights(Weights expected, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (weightsReadAt != 0 && expected.equals(weights)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    public long sent(Color color) {
        return sent.get(color).get();
    }

    /** Answered with 200. */
    public long ok(Color color) {
        return ok.get(color).get();
    }

    /** Answered, but not with 200. */
    public long notOk() {
        return notOk.get();
    }

    /** Not answered within the timeout, or the connection failed. */
    public long noAnswer() {
        return noAnswer.get();
    }

    /** Not sent because {@code maxInFlight} requests were outstanding. */
    public long dropped() {
        return dropped.get();
    }

    public long weightReadErrors() {
        return weightReadErrors.get();
    }

    public boolean isRunning() {
        return !sender.isShutdown();
    }

    @Override
    public void close() {
        sender.shutdownNow();
        poller.shutdownNow();
        httpThreads.shutdownNow();
    }

    @Override
    public String toString() {
        return "load: " + weights + ", sent blue " + sent(Color.BLUE) + " / green " + sent(Color.GREEN) + ", not 200: "
                + notOk() + ", no answer: " + noAnswer() + ", dropped " + dropped();
    }
}
