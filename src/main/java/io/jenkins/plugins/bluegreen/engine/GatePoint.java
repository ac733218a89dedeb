package io.jenkins.plugins.bluegreen.engine;

/**
 * One gate evaluation as data, kept with its event in the record so that a report can draw each gate's series
 * against its threshold without asking Prometheus again.
 *
 * @param gate the gate's name
 * @param value the measured value, or null when there was none (no data, or Prometheus failed)
 * @param threshold the level at which the gate fails
 * @param comparison how the value fails: {@code >}, {@code >=}, {@code <} or {@code <=}
 * @param verdict PASS, WARNING, FAIL or INCONCLUSIVE
 */
public record GatePoint(String gate, Double value, double threshold, String comparison, String verdict) {}
