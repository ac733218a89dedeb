// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.FlowInterruptedException (workflow-step-api). Not
// packaged; see central/jenkins-api/signatures.txt. Behaviour: holds its result and causes, as the real one.
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Result;
import java.util.Arrays;
import java.util.List;
import jenkins.model.CauseOfInterruption;

public final class FlowInterruptedException extends InterruptedException {
    private static final long serialVersionUID = 630482382622970136L;

    private final Result result;
    private final List<CauseOfInterruption> causes;
    private final boolean actualInterruption;

    public FlowInterruptedException(@NonNull Result result, boolean actualInterruption, @NonNull CauseOfInterruption... causes) {
        this.result = result;
        this.causes = Arrays.asList(causes);
        this.actualInterruption = actualInterruption;
    }

    @NonNull
    public Result getResult() {
        return result;
    }

    @NonNull
    public List<CauseOfInterruption> getCauses() {
        return causes;
    }

    public boolean isActualInterruption() {
        return actualInterruption;
    }
}
