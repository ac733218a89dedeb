package io.jenkins.plugins.bluegreen.testkit;

import hudson.model.Run;
import java.io.IOException;

/** A test implementation of the declared {@link Run}; {@link TestJob#newBuild()} makes one that is building. */
public final class TestRun extends Run<TestJob, TestRun> {

    TestRun(TestJob job) throws IOException {
        super(job);
    }

    /** As Jenkins writes it: relative to the root URL, with a trailing slash. */
    @Override
    public String getUrl() {
        return "job/" + getParent().getName() + "/" + getNumber() + "/";
    }

    void start() {
        onStartBuilding();
    }

    /** Completes the build, as Jenkins does when the Pipeline ends. */
    public void finish() {
        onEndBuilding();
    }
}
