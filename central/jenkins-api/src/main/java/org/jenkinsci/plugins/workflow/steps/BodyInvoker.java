// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.BodyInvoker (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Only the class header, because StepContext.newBodyInvoker() returns it. All members (withContext, withContexts,
// withDisplayName, withCallback, start, the merge helpers) are left out: the plugin's steps take no body.
package org.jenkinsci.plugins.workflow.steps;

public abstract class BodyInvoker {}
