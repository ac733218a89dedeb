// Compile-only declaration of org.jenkinsci.plugins.workflow.flow.FlowExecution (workflow-api 1413.v2ff1a_5e720fa_). Not packaged; see central/jenkins-api/signatures.txt.
// Only the class header, because FlowNode's constructors take it and StepContext.get(FlowExecution.class) names it.
// The real class also implements FlowActionStorage and GraphLookupView and has many (abstract) members, all left out:
// do not subclass this type in tests.
package org.jenkinsci.plugins.workflow.flow;

public abstract class FlowExecution {}
