package io.jenkins.plugins.bluegreen.alerting;

import java.time.Instant;
import java.util.List;

/**
 * A silence as Alertmanager holds it. Its matchers are as Alertmanager returns them, not checked again (someone else
 * may have written them).
 */
public record Silence(String id, State state, List<AlertMatcher> matchers, Instant startsAt, Instant endsAt,
        String createdBy, String comment, Instant updatedAt) {

    /** Alertmanager's {@code status.state}. */
    public enum State {
        /** starts in the future */
        PENDING,
        ACTIVE,
        /** ended, or expired by someone: never re-created by the plugin */
        EXPIRED;

        static State of(String state) {
            switch (state) {
                case "pending":
                    return PENDING;
                case "active":
                    return ACTIVE;
                case "expired":
                    return EXPIRED;
                default:
                    throw new IllegalArgumentException("unknown silence state '" + state + "'");
            }
        }
    }

    public Silence {
        matchers = List.copyOf(matchers);
    }

    public boolean isExpired() {
        return state == State.EXPIRED;
    }
}
