// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.StepExecution (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour as in the real class. Left out: the @Deprecated no-argument (Guice) constructor and the static applyAll/acceptAll helpers.
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jenkins.util.Timer;

public abstract class StepExecution implements Serializable {
    private static final long serialVersionUID = 1L;

    private StepContext context;

    protected StepExecution(@NonNull StepContext context) {
        this.context = context;
    }

    public @NonNull StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor, or have the StepExecution be created automatically");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(@NonNull Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    public void onResume() {}

    public @CheckForNull String getStatus() {
        return null;
    }

    public boolean blocksRestart() {
        return false;
    }

    public final @CheckForNull String getStatusBounded(long timeout, TimeUnit unit) {
        Future<String> status = null;
        try {
            status = Timer.get().submit(this::getStatus);
            return status.get(timeout, unit);
        } catch (Exception x) { // timeout, interruption, rejection or a failure of getStatus()
            if (status != null) {
                status.cancel(true);
            }
            return x.toString();
        }
    }
}
