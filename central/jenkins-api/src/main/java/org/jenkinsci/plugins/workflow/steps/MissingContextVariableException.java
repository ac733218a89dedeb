// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.MissingContextVariableException (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// Left out: the @Deprecated one-argument constructor. getMessage() here does not list providing steps (the real one
// looks them up through StepDescriptor.all(), which needs a running Jenkins).
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

public class MissingContextVariableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final @NonNull Class<?> type;
    private final transient @CheckForNull StepDescriptor d;

    // Package-private here: whether the public (Class, StepDescriptor) form has shipped is unconfirmed, and the
    // plugin never constructs this exception.
    MissingContextVariableException(@NonNull Class<?> type, @CheckForNull StepDescriptor d) {
        this.type = type;
        this.d = d;
    }

    public Class<?> getType() {
        return type;
    }

    @Override
    public String getMessage() {
        return "Required context " + type + " is missing" + (d == null ? "" : " for step " + d.getFunctionName());
    }

    public @NonNull List<StepDescriptor> getProviders() {
        // Steps with a body that add (rather than merely decorate) a context of this type.
        return StepDescriptor.all().stream()
                .filter(sd -> covers(sd.getProvidedContext()) && !covers(sd.getRequiredContext()))
                .collect(Collectors.toList());
    }

    private boolean covers(Set<? extends Class<?>> classes) {
        return classes.stream().anyMatch(type::isAssignableFrom);
    }
}
