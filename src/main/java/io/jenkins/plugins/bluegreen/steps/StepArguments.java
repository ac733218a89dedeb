package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.regex.Pattern;

/** Argument checks the steps share; each step words its own messages. */
final class StepArguments {

    /** Service names leave room for the colour suffix within Kubernetes' 63 characters, as the engine requires. */
    static final int MAX_SERVICE_LENGTH = 47;

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private StepArguments() {}

    static @CheckForNull String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Whether {@code s} (trimmed, not null) can name a blue-green service. */
    static boolean isServiceName(String s) {
        return s.length() <= MAX_SERVICE_LENGTH && DNS1123_LABEL.matcher(s).matches();
    }
}
