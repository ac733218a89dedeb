package io.jenkins.plugins.bluegreen.notify;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a notification announces. A small fixed set, so that {@code on: [...]} is checked when a step starts: four
 * milestones of a rollout that goes well, and the two ways it ends badly.
 */
public enum NotificationEvent {
    /** A step began acting on the service. */
    STARTED,
    /** The candidate is deployed, ready and smoke-tested, with no traffic yet. */
    READY,
    /** The candidate has all traffic and is the serving colour; the old colour is still up. */
    PROMOTED,
    /** The rollout is complete: the old colour was decommissioned after the bake (or a first rollout went live). */
    STABLE,
    /** The traffic went back to the stable colour (or a candidate that never became ready was removed). */
    ROLLBACK,
    /** The step failed without a rollback: a refused pre-flight or shift, failed gates left in place, an error. */
    FAILED;

    /** What {@code on} subscribes to when it is left out: the endings someone has to act on. */
    public static final List<NotificationEvent> DEFAULTS = List.of(ROLLBACK, FAILED);

    /** The name a Pipeline writes: {@code rollback}, {@code promoted}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the rollout ended badly: the message calls people ({@code @here}). */
    public boolean isBad() {
        return this == ROLLBACK || this == FAILED;
    }

    /** The event a Pipeline names, in any case and with spaces around; empty for anything else. */
    public static Optional<NotificationEvent> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (NotificationEvent e : values()) {
            if (e.label().equals(l)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** {@code started, ready, promoted, stable, rollback or failed}, for messages. */
    public static String choices() {
        List<String> labels = List.of(values()).stream().map(NotificationEvent::label).collect(Collectors.toList());
        return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
    }
}
