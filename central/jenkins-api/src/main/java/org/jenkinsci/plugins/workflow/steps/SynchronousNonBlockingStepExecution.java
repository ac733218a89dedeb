// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour as in the real class (shared cached pool of daemon threads, stop() cancels the task, onResume() fails the
// step), except that run() is not wrapped in ACL.as2(Jenkins.getAuthentication2()) and onResume() reports a plain
// Exception instead of SynchronousResumeNotSupportedException (not declared here).
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    private static final long serialVersionUID = 1L;

    private transient volatile Future<?> task;
    private transient String threadName;
    private transient volatile Throwable stopCause;

    private static ExecutorService executorService;

    protected SynchronousNonBlockingStepExecution(@NonNull StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        task = getExecutorService().submit(this::runAndReport);
        return false;
    }

    /** Runs {@link #run} on the pool thread and completes the context, unless {@link #stop} already did. */
    private void runAndReport() {
        threadName = Thread.currentThread().getName();
        T value;
        try {
            value = run();
        } catch (Throwable failure) {
            reportFailure(failure);
            return;
        }
        try {
            getContext().onSuccess(value);
        } catch (Throwable failure) {
            reportFailure(failure);
        }
    }

    private void reportFailure(Throwable failure) {
        Throwable stopped = stopCause;
        if (stopped != null) {
            stopped.addSuppressed(failure);
        } else {
            getContext().onFailure(failure);
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        Future<?> running = task;
        if (running != null) {
            stopCause = cause;
            running.cancel(true);
        }
        super.stop(cause);
    }

    @Override
    public void onResume() {
        getContext().onFailure(new Exception("Resume after a restart not supported for non-blocking synchronous steps"));
    }

    @Override
    public @NonNull String getStatus() {
        String name = threadName;
        return name == null ? "not yet scheduled" : "running in thread: " + name;
    }

    @Override
    public boolean blocksRestart() {
        return threadName != null;
    }

    static synchronized ExecutorService getExecutorService() {
        if (executorService == null) {
            AtomicInteger threads = new AtomicInteger();
            executorService = Executors.newCachedThreadPool(work -> {
                Thread thread = new Thread(work, SynchronousNonBlockingStepExecution.class.getName() + " [#" + threads.incrementAndGet() + "]");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executorService;
    }
}
