package io.jenkins.plugins.bluegreen.engine;

/**
 * Why and how fast a rollback happened. Instants are ISO-8601 strings, as in the rest of the record.
 *
 * @param reason why, e.g. "gate error-rate breached: 0.061 > 0.01 for 60 s" or "requested by ..."
 * @param detectedAt when the problem was first seen (the first failing sample), if the caller knows
 * @param startedAt when the engine began moving traffic back
 * @param completedAt when the stable colour had all traffic again (read back from the router)
 * @param recoveryMillis from {@code detectedAt} (or {@code startedAt}) to {@code completedAt}
 */
public record Rollback(String reason, String detectedAt, String startedAt, String completedAt, Long recoveryMillis) {}
