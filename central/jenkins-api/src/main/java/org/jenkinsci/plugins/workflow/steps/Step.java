// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.Step (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

@SuppressWarnings("deprecation") // AbstractDescribableImpl, as in the real source
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        return (StepDescriptor) super.getDescriptor();
    }
}
