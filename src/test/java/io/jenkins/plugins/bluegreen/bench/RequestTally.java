package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST CODE: counts the requests the mock API server answered that carried credentials, i.e. the plugin's own (the
 * steps authenticate with a bearer token; the simulated control plane and the benchmark's set-up do not). Takes the
 * requests off the server's record as they come, which also keeps that record from growing for the whole run.
 */
final class RequestTally implements AutoCloseable {

    private final AtomicLong authorized = new AtomicLong();
    private final AtomicLong all = new AtomicLong();
    private final Thread drain;

    RequestTally(KubernetesMockServer server) {
        drain = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    RecordedRequest r = server.takeRequest();
                    all.incrementAndGet();
                    if (r.getHeader("Authorization") != null) {
                        authorized.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "simulated-request-tally");
        drain.setDaemon(true);
        drain.start();
    }

    /** Requests with credentials answered so far (taken off the record within microseconds of their answer). */
    long authorized() {
        return authorized.get();
    }

    @Override
    public void close() {
        drain.interrupt();
    }
}
