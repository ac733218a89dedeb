package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.bluegreen.smoke.SmokeCheck;
import java.io.Serializable;
import java.time.Duration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * One smoke test of the candidate colour as a Pipeline writes it:
 * {@code smokeTest(path: '/healthz', status: 200, bodyContains: 'ok', maxLatency: '2s')}. The arguments are checked
 * when they are bound, so a bad one fails the step before anything is deployed. {@code maxLatency} keeps the text the
 * user wrote, so that the Snippet Generator shows it back.
 */
public final class SmokeTest implements Describable<SmokeTest>, Serializable {
    private static final long serialVersionUID = 1L;

    static final String DEFAULT_MAX_LATENCY = "2s";

    private final String path;
    private int status = SmokeCheck.DEFAULT_STATUS;
    private String bodyContains;
    private String maxLatency = DEFAULT_MAX_LATENCY;

    /** @param path the path (and optional query) to GET, starting with {@code /} */
    @DataBoundConstructor
    public SmokeTest(String path) {
        this.path = path == null ? "" : path.trim();
    }

    public @NonNull String getPath() {
        return path;
    }

    public int getStatus() {
        return status;
    }

    /** @param status the HTTP status the check expects, 100 to 599 */
    @DataBoundSetter
    public void setStatus(int status) {
        this.status = status;
    }

    public @CheckForNull String getBodyContains() {
        return bodyContains;
    }

    /** @param bodyContains text the body must contain, taken as written (not trimmed); empty means no body check */
    @DataBoundSetter
    public void setBodyContains(String bodyContains) {
        this.bodyContains = bodyContains == null || bodyContains.isEmpty() ? null : bodyContains;
    }

    public @NonNull String getMaxLatency() {
        return maxLatency;
    }

    /** @param maxLatency the latency budget, e.g. {@code '500ms'} or {@code '2s'}; blank means 2 s */
    @DataBoundSetter
    public void setMaxLatency(String maxLatency) {
        String m = ClusterStep.trimToNull(maxLatency);
        this.maxLatency = m == null ? DEFAULT_MAX_LATENCY : m;
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    void validate() {
        if (path.isEmpty()) {
            throw new IllegalArgumentException(Messages.SmokeTest_PathRequired());
        }
        if (!SmokeCheck.isValidPath(path)) {
            throw new IllegalArgumentException(Messages.SmokeTest_PathInvalid(shorten(path), String.valueOf(SmokeCheck.MAX_PATH_LENGTH)));
        }
        if (!SmokeCheck.isValidStatus(status)) {
            throw new IllegalArgumentException(Messages.SmokeTest_StatusInvalid(String.valueOf(status)));
        }
        if (bodyContains != null && bodyContains.length() > SmokeCheck.MAX_BODY_CONTAINS_LENGTH) {
            throw new IllegalArgumentException(Messages.SmokeTest_BodyContainsTooLong(String.valueOf(SmokeCheck.MAX_BODY_CONTAINS_LENGTH)));
        }
        if (!SmokeCheck.isValidLatency(DurationArgument.parse("maxLatency", maxLatency))) {
            throw new IllegalArgumentException(Messages.SmokeTest_MaxLatencyInvalid(maxLatency));
        }
    }

    /** The check the smoke tester runs. */
    public SmokeCheck toCheck() {
        return new SmokeCheck(path, status, bodyContains, DurationArgument.parse("maxLatency", maxLatency));
    }

    @Override
    public String toString() {
        return "GET " + path + " \u2192 " + status;
    }

    /** A refused value for a message: at most 100 characters. */
    private static String shorten(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    @Extension
    @Symbol("smokeTest")
    public static final class DescriptorImpl extends Descriptor<SmokeTest> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SmokeTest_DisplayName();
        }
    }
}
