// Compile-only declaration of org.jenkinsci.plugins.workflow.steps.StepDescriptor (workflow-step-api 724.v538c2362b_dfb_). Not packaged; see central/jenkins-api/signatures.txt.
// The real class also has the @Deprecated structs-based newInstance(Map), defineArguments(Step) and uninstantiate(Step), left out here.
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionList;
import hudson.model.Descriptor;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

public abstract class StepDescriptor extends Descriptor<Step> {
    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        return Collections.emptySet();
    }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        return false;
    }

    public boolean isAdvanced() {
        return false;
    }

    public boolean isMetaStep() {
        return false;
    }

    public final void checkContextAvailability(StepContext c) throws MissingContextVariableException, IOException, InterruptedException {
        for (Class<?> required : getRequiredContext()) {
            if (c.get(required) == null) {
                throw new MissingContextVariableException(required, this);
            }
        }
    }

    public static ExtensionList<StepDescriptor> all() {
        return ExtensionList.lookup(StepDescriptor.class);
    }

    public static @Nullable StepDescriptor byFunctionName(String name) {
        return all().stream().filter(d -> d.getFunctionName().equals(name)).findFirst().orElse(null);
    }

    @CheckForNull
    public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
        // A single argument of a plain type (text, number, boolean, enum) is shown as is; anything else gives null.
        if (namedArgs.size() != 1) {
            return null;
        }
        Object only = namedArgs.values().iterator().next();
        boolean plain = only instanceof CharSequence || only instanceof Number || only instanceof Boolean || only instanceof Enum;
        return plain ? only.toString() : null;
    }
}
