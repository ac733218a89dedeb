package io.jenkins.plugins.bluegreen.testkit;

import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.security.ACL;
import java.io.IOException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import jenkins.model.Jenkins;

/** A test implementation of the declared {@link Job}: a top-level job whose builds are kept in memory. */
public final class TestJob extends Job<TestJob, TestRun> {

    private final SortedMap<Integer, TestRun> runs = Collections.synchronizedSortedMap(new TreeMap<>(Collections.reverseOrder()));

    @SuppressWarnings("rawtypes")
    public TestJob(ItemGroup parent, String name) {
        super(parent, name);
    }

    /** A new build of this job that has started building. */
    public TestRun newBuild() throws IOException {
        TestRun run = new TestRun(this);
        runs.put(run.getNumber(), run);
        run.start();
        return run;
    }

    /** The job's permissions come from the {@link TestJenkins} it lives in, as from a real authorization strategy. */
    @Override
    public ACL getACL() {
        return ((TestJenkins) Jenkins.get()).aclOf(this);
    }

    @Override
    public boolean isBuildable() {
        return true;
    }

    @Override
    protected SortedMap<Integer, ? extends TestRun> _getRuns() {
        return runs;
    }

    @Override
    protected void removeRun(TestRun run) {
        runs.remove(run.getNumber());
    }
}
