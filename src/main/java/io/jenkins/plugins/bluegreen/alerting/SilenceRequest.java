package io.jenkins.plugins.bluegreen.alerting;

import java.time.Instant;
import java.util.Objects;

/**
 * What a silence is to be: the alerts it silences, from when to when, who made it and why. The comment is what the
 * on-call reads in Alertmanager's UI, so it should name the service, the build and the rollout.
 */
public record SilenceRequest(AlertMatchers matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {

    /** The author Alertmanager shows for the plugin's silences. */
    public static final String JENKINS = "jenkins";

    public SilenceRequest {
        Objects.requireNonNull(matchers, "matchers");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a silence must end (" + endsAt + ") after it starts (" + startsAt + ")");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("a silence needs its author (createdBy)");
        }
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("a silence needs a comment saying why");
        }
    }

    /** A silence created by {@value #JENKINS}. */
    public static SilenceRequest byJenkins(AlertMatchers matchers, Instant startsAt, Instant endsAt, String comment) {
        return new SilenceRequest(matchers, startsAt, endsAt, JENKINS, comment);
    }
}
