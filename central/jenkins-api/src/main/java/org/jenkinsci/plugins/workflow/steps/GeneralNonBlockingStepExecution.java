// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour as in the real class (blocks run on SynchronousNonBlockingStepExecution's pool), except that blocks are not
// wrapped in ACL.as2(Jenkins.getAuthentication2()) and onResume() reports a plain Exception. Left out: the inner
// protected abstract class TailCall (needs BodyExecutionCallback, which is not declared).
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.Future;

public abstract class GeneralNonBlockingStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;

    private transient volatile Future<?> task;
    private String threadName;
    private transient volatile Throwable stopCause;

    protected GeneralNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    @FunctionalInterface
    protected interface Block {
        void run() throws Exception;
    }

    protected final void run(Block block) {
        if (stopCause != null) {
            return; // already stopped: nothing more to start
        }
        task = SynchronousNonBlockingStepExecution.getExecutorService().submit(() -> runBlock(block));
    }

    private void runBlock(Block block) {
        threadName = Thread.currentThread().getName();
        try {
            block.run();
        } catch (Throwable failure) {
            Throwable stopped = stopCause;
            if (stopped != null) {
                stopped.addSuppressed(failure);
            } else {
                getContext().onFailure(failure);
            }
        } finally {
            threadName = null;
            task = null;
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        stopCause = cause;
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        super.stop(cause);
    }

    @Override
    public void onResume() {
        if (threadName != null) {
            getContext().onFailure(new Exception("Resume after a restart not supported while running background code"));
        }
    }

    @Override
    public @NonNull String getStatus() {
        String name = threadName;
        return name == null ? "not currently scheduled, or running blocks" : "running in thread: " + name;
    }

    @Override
    public boolean blocksRestart() {
        return threadName != null;
    }
}
