// Compile-only declaration of org.jenkinsci.plugins.workflow.graph.FlowNode (workflow-api 1413.v2ff1a_5e720fa_). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: keeps id, execution, parents and actions in memory; save() does nothing here (the real one stores the
// actions through the FlowExecution). getDisplayName() falls back to getTypeDisplayName() (LabelAction is not declared).
// Left out: @Deprecated isRunning(), getError() (ErrorAction), getEnclosingId/getEnclosingBlocks/iterateEnclosingBlocks
// (BlockStartNode), getIconColor() (BallColor), getParentIds(), readResolve().
package org.jenkinsci.plugins.workflow.graph;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Action;
import hudson.model.Actionable;
import hudson.model.Saveable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.workflow.actions.PersistentAction;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;

public abstract class FlowNode extends Actionable implements Saveable {
    private final List<FlowNode> parents;
    private final String id;
    private transient CopyOnWriteArrayList<Action> actions = new CopyOnWriteArrayList<>();
    private final transient FlowExecution exec;

    protected FlowNode(FlowExecution exec, String id, List<FlowNode> parents) {
        this.id = id;
        this.exec = exec;
        this.parents = List.copyOf(parents);
    }

    protected FlowNode(FlowExecution exec, String id, FlowNode... parents) {
        this(exec, id, Arrays.asList(parents));
    }

    public final boolean isActive() {
        throw new UnsupportedOperationException("declaration only");
    }

    public @NonNull FlowExecution getExecution() {
        return exec;
    }

    @NonNull
    public List<FlowNode> getParents() {
        return parents;
    }

    @NonNull
    public List<String> getAllEnclosingIds() {
        throw new UnsupportedOperationException("declaration only");
    }

    public String getId() {
        return id;
    }

    public final String getSearchUrl() {
        return getId();
    }

    @Override
    public String getDisplayName() {
        return getTypeDisplayName();
    }

    public String getDisplayFunctionName() {
        String functionName = getTypeFunctionName();
        return functionName == null ? getDisplayName() : functionName;
    }

    protected abstract String getTypeDisplayName();

    protected String getTypeFunctionName() {
        return getDisplayName();
    }

    public String getUrl() throws IOException {
        throw new UnsupportedOperationException("declaration only");
    }

    protected synchronized void setActions(List<Action> actions) {
        this.actions = new CopyOnWriteArrayList<>(actions);
    }

    @CheckForNull
    public final <T extends Action> T getPersistentAction(@NonNull Class<T> type) {
        for (Action a : actions) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }

    @Override
    @CheckForNull
    public <T extends Action> T getAction(Class<T> type) {
        if (PersistentAction.class.isAssignableFrom(type)) {
            return getPersistentAction(type);
        }
        for (Action a : getAllActions()) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }

    @SuppressWarnings("deprecation")
    @Override
    public List<Action> getActions() {
        return actions;
    }

    @Override
    public void save() throws IOException {}

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FlowNode && id.equals(((FlowNode) obj).id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return getClass().getName() + "[id=" + id + "]";
    }
}
