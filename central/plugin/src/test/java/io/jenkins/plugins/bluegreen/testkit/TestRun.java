package io.jenkins.plugins.bluegreen.testkit;

import hudson.model.Run;
import java.io.IOException;

/** A test implementation of the declared {@link Run}; {@link TestJob#newBuild()} makes one that is building. */
public final class TestRun extends Run<TestJob, TestRun> {

    TestRun(TestJob job) throws IOException {
        super(job);
    }

    void start() {
        onStartBuilding();
    }

    /** As Jenkins computes it off a request: the job's URL and the build number. */
    @Override
    public String getUrl() {
        return "job/" + getParent().getName() + "/" + getNumber() + "/";
    }

    /** Completes the build, as Jenkins does when the Pipeline ends. */
    public void finish() {
        onEndBuilding();
    }
}
