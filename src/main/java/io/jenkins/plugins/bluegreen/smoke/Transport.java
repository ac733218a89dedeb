package io.jenkins.plugins.bluegreen.smoke;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** How a smoke check reaches the candidate colour: one GET, nothing retried, nothing followed. */
interface Transport {

    /**
     * Sends one GET and waits at most {@code timeout} for the status and the first {@link SmokeTester#BODY_LIMIT}
     * bytes of the body.
     *
     * @throws IOException with a message safe to log (no header, no body) when the request fails
     * @throws TimeoutException when no complete answer came within {@code timeout}
     */
    Reply get(Target target, String path, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /** The colour a check is sent to. */
    record Target(String namespace, String service, String color) {
        /** The colour's Service, {@code <service>-<color>}: what messages name. */
        String colorService() {
            return service + "-" + color;
        }
    }

    /**
     * An answer.
     *
     * @param body the first bytes of the body
     * @param explanation the transport's own short reading of a failure answer (e.g. the API server's Status message), or null
     */
    record Reply(int status, BodyPrefix body, String explanation) {}
}
