// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Left out: the @Deprecated no-argument (Guice) constructor and @Deprecated inject(). onResume() re-injects
// @StepContextParameter fields in the real class, which is a no-op for executions that do not use Guice.
package org.jenkinsci.plugins.workflow.steps;

public abstract class AbstractStepExecutionImpl extends StepExecution {
    private static final long serialVersionUID = 1L;

    protected AbstractStepExecutionImpl(StepContext context) {
        super(context);
    }

    @Override
    public void onResume() {}
}
