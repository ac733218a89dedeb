package io.jenkins.plugins.bluegreen.report;

/** Why the rollout was rolled back and how long it took until the stable colour had all traffic again. */
public final class Recovery {

    private final String reason;
    private final String detectedAt;
    private final String startedAt;
    private final String completedAt;
    private final Long recoveryMillis;

    Recovery(String reason, String detectedAt, String startedAt, String completedAt, Long recoveryMillis) {
        this.reason = reason;
        this.detectedAt = detectedAt;
        this.startedAt = startedAt;
        this.completedAt = completedAt;
        this.recoveryMillis = recoveryMillis;
    }

    public String getReason() {
        return reason;
    }

    /** When the problem was first seen (the first failing sample), or null. */
    public String getDetectedAt() {
        return detectedAt;
    }

    public String getStartedAt() {
        return startedAt;
    }

    /** Null while the rollback is still running (or when it could not finish). */
    public String getCompletedAt() {
        return completedAt;
    }

    public Long getRecoveryMillis() {
        return recoveryMillis;
    }

    /** E.g. {@code 1.84 s}, or {@code not completed}. */
    public String getRecoveryText() {
        return recoveryMillis == null ? "not completed" : Formats.millis(recoveryMillis);
    }

    /** What the recovery time is measured from. */
    public String getMeasuredFrom() {
        return detectedAt != null ? "the first failing sample" : "the start of the rollback";
    }
}
