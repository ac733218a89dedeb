// Compile-only declaration of jenkins.util.Timer (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: a lazily created pool of 10 daemon threads; tasks do not run as ACL.SYSTEM2 here.
package jenkins.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

public class Timer {
    static ScheduledExecutorService executorService;

    @NonNull
    public static synchronized ScheduledExecutorService get() {
        if (executorService == null) {
            AtomicInteger threads = new AtomicInteger();
            executorService = new ScheduledThreadPoolExecutor(10, work -> {
                Thread thread = new Thread(work, "jenkins.util.Timer [#" + threads.incrementAndGet() + "]");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executorService;
    }

    public static synchronized void shutdown() {
        if (executorService != null) {
            executorService.shutdownNow();
            executorService = null;
        }
    }

    private Timer() {}
}
