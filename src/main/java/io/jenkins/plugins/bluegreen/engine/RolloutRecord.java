package io.jenkins.plugins.bluegreen.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The truth about one service's rollouts, kept in the cluster (not in Jenkins) so that any build, on any
 * controller, can continue or roll back what another started. Serialized to JSON with Jackson: plain
 * properties, no type information. Instants are ISO-8601 strings so that the stored document reads well.
 */
public class RolloutRecord {

    /** How many events the history keeps; older ones are dropped first. */
    public static final int MAX_HISTORY = 100;

    public static final int SCHEMA_VERSION = 1;

    private int schemaVersion = SCHEMA_VERSION;
    private String namespace;
    private String service;
    private Phase phase;
    private RouterSpec router;
    private Revision stable;
    private Revision candidate;
    private Weights weights;
    private Weights targetWeights;
    private String owner;
    private String startedAt;
    private String updatedAt;
    private String promotedAt;
    private Rollback rollback;
    private List<RolloutEvent> history = new ArrayList<>();
    /** Alertmanager silences the rollouts made (absent in records written before silences existed). */
    private List<AlertSilence> silences = new ArrayList<>();

    public RolloutRecord() {}

    public RolloutRecord(RolloutTarget target, RouterSpec router) {
        this.namespace = target.namespace();
        this.service = target.service();
        this.router = router;
    }

    /** Appends to the history, dropping the oldest events beyond {@link #MAX_HISTORY}. */
    public RolloutEvent addEvent(Instant at, String type, String message) {
        return addEvent(at, type, message, null);
    }

    /** Appends an event carrying the current weights and, for a gate evaluation, its data. */
    public RolloutEvent addEvent(Instant at, String type, String message, GatePoint gate) {
        RolloutEvent e = new RolloutEvent(at.toString(), type, message, weights, gate);
        history.add(e);
        while (history.size() > MAX_HISTORY) {
            history.remove(0);
        }
        return e;
    }

    /** The colour that serves when nothing is in progress, or null before the first rollout went live. */
    public Color stableColor() {
        return stable == null ? null : stable.color();
    }

    public Color candidateColor() {
        return candidate == null ? null : candidate.color();
    }

    public int getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(int schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public RouterSpec getRouter() {
        return router;
    }

    public void setRouter(RouterSpec router) {
        this.router = router;
    }

    public Revision getStable() {
        return stable;
    }

    public void setStable(Revision stable) {
        this.stable = stable;
    }

    public Revision getCandidate() {
        return candidate;
    }

    public void setCandidate(Revision candidate) {
        this.candidate = candidate;
    }

    public Weights getWeights() {
        return weights;
    }

    public void setWeights(Weights weights) {
        this.weights = weights;
    }

    public Weights getTargetWeights() {
        return targetWeights;
    }

    public void setTargetWeights(Weights targetWeights) {
        this.targetWeights = targetWeights;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(String updatedAt) {
        this.updatedAt = updatedAt;
    }

    public String getPromotedAt() {
        return promotedAt;
    }

    public void setPromotedAt(String promotedAt) {
        this.promotedAt = promotedAt;
    }

    public Rollback getRollback() {
        return rollback;
    }

    public void setRollback(Rollback rollback) {
        this.rollback = rollback;
    }

    public List<RolloutEvent> getHistory() {
        return history;
    }

    public void setHistory(List<RolloutEvent> history) {
        this.history = history == null ? new ArrayList<>() : new ArrayList<>(history);
    }

    public List<AlertSilence> getSilences() {
        return silences;
    }

    /** Keeps at most {@link AlertSilence#MAX}, the newest. */
    public void setSilences(List<AlertSilence> silences) {
        List<AlertSilence> kept = silences == null ? new ArrayList<>() : new ArrayList<>(silences);
        while (kept.size() > AlertSilence.MAX) {
            kept.remove(0);
        }
        this.silences = kept;
    }
}
