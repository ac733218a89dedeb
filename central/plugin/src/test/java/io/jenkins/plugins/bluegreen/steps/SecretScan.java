package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * TEST CODE: what a scenario left behind (build log, rollout record, report, saved step state, configuration XML...),
 * each under the name of where it was found, and the check that no secret is in any of it. Shared by the bad-input
 * catalogue and the fault matrix.
 */
final class SecretScan {

    private final List<String[]> stored = new ArrayList<>();

    /** Keeps {@code text} found in {@code where}. */
    void store(String where, String text) {
        stored.add(new String[] {where, text == null ? "" : text});
    }

    /** Keeps bytes (e.g. River's saved state) as ISO-8859-1, so that any string they hold is found as written. */
    void store(String where, byte[] bytes) {
        store(where, bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Fails if any of {@code secrets} is in anything stored. */
    void assertNoSecret(List<String> secrets) {
        assertNoSecret(secrets, (where, secret) -> false);
    }

    /** As {@link #assertNoSecret(List)}, except where {@code allowed} says a secret was put there by its author. */
    void assertNoSecret(List<String> secrets, BiPredicate<String, String> allowed) {
        for (String[] s : stored) {
            for (String secret : secrets) {
                assertFalse(!allowed.test(s[0], secret) && s[1].contains(secret), "a secret in " + s[0]);
            }
        }
    }

    /** The names of the places scanned, for a report. */
    List<String> places() {
        return stored.stream().map(s -> s[0]).distinct().toList();
    }
}
