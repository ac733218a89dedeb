package io.jenkins.plugins.bluegreen.engine;

/** Owners are opaque strings such as a build URL; they end up in the record and in lease holder names. */
final class Owners {

    static final int MAX_LENGTH = 512;

    private Owners() {}

    static String check(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "an owner (e.g. the build URL) is required");
        }
        if (owner.length() > MAX_LENGTH || owner.chars().anyMatch(Character::isISOControl)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the owner must be one line of at most " + MAX_LENGTH + " characters");
        }
        return owner.trim();
    }
}
