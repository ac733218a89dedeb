package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;

/**
 * One operation at a time per service, across Jenkins controllers and builds: a lease that the holder renews
 * while it works, releases at the end, and that others may take over only once it has expired.
 */
public interface ServiceLock {

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock for {@code owner}, waiting up to {@code wait} while another owner holds it. The same owner
     * may take it again (a build that rolls back what it deployed).
     *
     * @throws RolloutException of kind LOCKED naming the holder and when its lease expires
     */
    Held acquire(String owner, Duration wait);
}
