// Compile-only declaration of hudson.model.Run (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// The real class also implements PersistenceRoot, DescriptorByNameOwner, OnMaster, StaplerProxy, HistoricalBuild and
// WithConsoleUrl (left out), and has many more members. It declares no abstract methods.
// Behaviour: the build state machine is kept: a new Run is NOT_STARTED (isBuilding() is already true, as in the real
// class); setResult() throws IllegalStateException unless onStartBuilding() moved it to BUILDING, and then only makes
// the result worse; onEndBuilding() completes it (FAILURE if no result was set). Run(JobT) takes its number from
// Job.assignBuildNumber(). addAction() calls RunAction2.onAttached. getUrl(), getRootDir(), getEnvironment(),
// getACL() and fromExternalizableId() are not implemented.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.ExtensionPoint;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import jenkins.model.RunAction2;
import org.springframework.security.access.AccessDeniedException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements ExtensionPoint, Comparable<RunT>, AccessControlled {
    protected final transient @NonNull JobT project;

    public transient int number;

    protected volatile Result result;

    private transient volatile State state;

    private enum State { NOT_STARTED, BUILDING, POST_PRODUCTION, COMPLETED }

    protected Run(@NonNull JobT job) throws IOException {
        this(job, System.currentTimeMillis());
        this.number = project.assignBuildNumber();
    }

    protected Run(@NonNull JobT job, long timestamp) {
        this.project = job;
        this.state = State.NOT_STARTED;
    }

    @Override
    public void addAction(@NonNull Action a) {
        super.addAction(a);
        if (a instanceof RunAction2) {
            ((RunAction2) a).onAttached(this);
        }
    }

    @SuppressWarnings("unchecked")
    protected @NonNull RunT _this() {
        return (RunT) this;
    }

    @Override
    public int compareTo(@NonNull RunT that) {
        int byNumber = Integer.compare(number, that.number);
        return byNumber != 0 ? byNumber : getParent().getFullName().compareTo(that.getParent().getFullName());
    }

    public @CheckForNull Result getResult() {
        return result;
    }

    public void setResult(@NonNull Result r) {
        if (state != State.BUILDING) {
            throw new IllegalStateException("cannot change build result while in " + state);
        }
        Result current = result;
        if (current == null || r.isWorseThan(current)) {
            result = r;
        }
    }

    public boolean isBuilding() {
        return state == State.NOT_STARTED || state == State.BUILDING;
    }

    public boolean isInProgress() {
        return state == State.BUILDING || state == State.POST_PRODUCTION;
    }

    public boolean hasntStartedYet() {
        return state == State.NOT_STARTED;
    }

    public final @NonNull Charset getCharset() {
        return Charset.defaultCharset();
    }

    public @NonNull JobT getParent() {
        return project;
    }

    public String getFullDisplayName() {
        return project.getFullDisplayName() + ' ' + getDisplayName();
    }

    @Override
    public String getDisplayName() {
        return "#" + number;
    }

    public int getNumber() {
        return number;
    }

    public @NonNull String getUrl() {
        throw new UnsupportedOperationException("declaration only");
    }

    public @NonNull String getId() {
        return Integer.toString(number);
    }

    public @NonNull File getRootDir() {
        throw new UnsupportedOperationException("declaration only");
    }

    @NonNull
    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("declaration only");
    }

    protected void onStartBuilding() {
        state = State.BUILDING;
    }

    protected void onEndBuilding() {
        state = State.COMPLETED;
        if (result == null) {
            result = Result.FAILURE;
        }
    }

    public @NonNull EnvVars getEnvironment(@NonNull TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("declaration only");
    }

    public @NonNull String getExternalizableId() {
        return project.getFullName() + "#" + getNumber();
    }

    public @CheckForNull static Run<?, ?> fromExternalizableId(String id) throws IllegalArgumentException, AccessDeniedException {
        throw new UnsupportedOperationException("declaration only");
    }

    @Override
    public String toString() {
        return project.getFullName() + " #" + number;
    }
}
