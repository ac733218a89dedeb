package io.jenkins.plugins.bluegreen.smoke;

import java.util.List;

/** A smoke check failed; the message says which check, on which colour, and why, in one line. */
public final class SmokeTestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SmokeCheck check;
    private final List<String> passed;

    SmokeTestException(String message, SmokeCheck check, List<String> passed) {
        super(message);
        this.check = check;
        this.passed = List.copyOf(passed);
    }

    /** The check that failed. */
    public SmokeCheck check() {
        return check;
    }

    /** One line for each check that passed before this one, as {@link SmokeTester#run} returns them. */
    public List<String> passed() {
        return passed;
    }
}
