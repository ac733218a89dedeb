// Compile-only declaration of hudson.model.Job (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// The real class extends AbstractItem (not declared; it is an Actionable implementing Item, AccessControlled and more)
// and implements ExtensionPoint, StaplerOverridable, ModelObjectWithChildren and HasWidgets. Here it extends Actionable
// (AbstractItem's superclass) and implements ExtensionPoint and Item (which AbstractItem implements) only.
// getName(), getFullName(), getFullDisplayName(), getDisplayName() and getParent() are AbstractItem members in the
// real API (getFullName/getFullDisplayName final there too), declared here because AbstractItem is not.
// Behaviour: getFullName() treats the job as top-level (ItemGroup.getFullName() is not declared); builds come from
// _getRuns() as in the real class; assignBuildNumber() counts up from nextBuildNumber; getACL() is not implemented.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.security.ACL;
import java.io.IOException;
import java.util.Collections;
import java.util.SortedMap;

@SuppressWarnings("rawtypes")
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements ExtensionPoint, Item {
    protected transient volatile int nextBuildNumber = 1;

    private final transient ItemGroup parent;
    private final transient String name;

    protected Job(ItemGroup parent, String name) {
        this.parent = parent;
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public final String getFullName() {
        return getName();
    }

    public final String getFullDisplayName() {
        return getDisplayName();
    }

    @Override
    public String getDisplayName() {
        return getName();
    }

    public @NonNull ItemGroup getParent() {
        if (parent == null) {
            throw new IllegalStateException("no parent set on " + getClass().getName() + "[" + name + "]");
        }
        return parent;
    }

    public int assignBuildNumber() throws IOException {
        synchronized (this) {
            return nextBuildNumber++;
        }
    }

    public int getNextBuildNumber() {
        return nextBuildNumber;
    }

    public boolean isBuilding() {
        RunT last = getLastBuild();
        return last != null && last.isBuilding();
    }

    public abstract boolean isBuildable();

    public SortedMap<Integer, RunT> getBuildsAsMap() {
        return Collections.unmodifiableSortedMap(runs());
    }

    public RunT getBuild(String id) {
        return runs().values().stream().filter(r -> r.getId().equals(id)).findFirst().orElse(null);
    }

    public RunT getBuildByNumber(int n) {
        return _getRuns().get(n);
    }

    protected abstract SortedMap<Integer, ? extends RunT> _getRuns();

    protected abstract void removeRun(RunT run);

    /** Newest first, as _getRuns() is specified to be. */
    public RunT getLastBuild() {
        SortedMap<Integer, ? extends RunT> all = _getRuns();
        return all.isEmpty() ? null : all.get(all.firstKey());
    }

    public RunT getFirstBuild() {
        SortedMap<Integer, ? extends RunT> all = _getRuns();
        return all.isEmpty() ? null : all.get(all.lastKey());
    }

    public RunT getLastSuccessfulBuild() {
        return runs().values().stream()
                .filter(r -> !r.isBuilding() && r.getResult() != null && r.getResult().isBetterOrEqualTo(Result.UNSTABLE))
                .findFirst().orElse(null);
    }

    public RunT getLastCompletedBuild() {
        return runs().values().stream().filter(r -> !r.isBuilding()).findFirst().orElse(null);
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("declaration only");
    }

    @SuppressWarnings("unchecked")
    private SortedMap<Integer, RunT> runs() {
        return (SortedMap<Integer, RunT>) _getRuns();
    }
}
