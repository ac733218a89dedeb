package io.jenkins.plugins.bluegreen.net;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How requests to an HTTP API (Prometheus, Alertmanager) authenticate. Values are resolved from Jenkins credentials
 * for each use, kept only in memory, and never printed: {@link #toString()} hides them.
 */
public sealed interface HttpAuth permits HttpAuth.None, HttpAuth.Bearer, HttpAuth.Basic {

    /** The value of the {@code Authorization} header, if any. */
    Optional<String> authorizationHeader();

    /** No authentication. */
    record None() implements HttpAuth {
        @Override
        public Optional<String> authorizationHeader() {
            return Optional.empty();
        }
    }

    /** A bearer token (secret-text credential). */
    record Bearer(String token) implements HttpAuth {
        public Bearer {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("the token credential is empty");
            }
        }

        @Override
        public Optional<String> authorizationHeader() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[****]";
        }
    }

    /** HTTP basic authentication (username/password credential). */
    record Basic(String username, String password) implements HttpAuth {
        public Basic {
            if (username == null || username.isEmpty()) {
                throw new IllegalArgumentException("the credential has no user name");
            }
            if (password == null) {
                password = "";
            }
        }

        @Override
        public Optional<String> authorizationHeader() {
            String pair = username + ":" + password;
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[" + username + ", ****]";
        }
    }
}
