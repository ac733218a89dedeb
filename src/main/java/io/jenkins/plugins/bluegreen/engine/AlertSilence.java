package io.jenkins.plugins.bluegreen.engine;

/**
 * An Alertmanager silence a rollout made, as the rollout record keeps it so that another build (a {@code rollback}) or
 * the same step after a restart can expire it. Where the Alertmanager is: a configured name, or an inline URL and the
 * ID of its credentials (an ID, never a secret).
 *
 * @param alertmanager the name of a configured Alertmanager, or null for an inline one
 * @param url the inline Alertmanager's URL, or null for a configured one
 * @param credentialsId the inline Alertmanager's credentials ID, or null
 * @param id the silence's ID (a UUID)
 * @param kind {@link #WINDOW} (expired when the rollout's step ends) or {@link #ACK} (ends on its own)
 * @param owner the build that made it
 * @param endsAt when it ends on its own, ISO-8601, as last set
 */
public record AlertSilence(String alertmanager, String url, String credentialsId, String id, String kind, String owner,
        String endsAt) {

    /** A silence for the rollout window: extended while the step runs, expired when it ends. */
    public static final String WINDOW = "window";
    /** An acknowledgement of the candidate's alerts after a rollback: it ends on its own. */
    public static final String ACK = "ack";
    /** How many silences a record keeps; the oldest go first. */
    public static final int MAX = 20;

    public boolean isWindow() {
        return WINDOW.equals(kind);
    }

    /** Where the silence lives, for log lines: the name, or the inline URL. */
    public String where() {
        return alertmanager != null ? alertmanager : url;
    }

    public AlertSilence withId(String newId, String newEndsAt) {
        return new AlertSilence(alertmanager, url, credentialsId, newId, kind, owner, newEndsAt);
    }
}
