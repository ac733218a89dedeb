package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Analysis;
import io.jenkins.plugins.bluegreen.engine.Evaluation;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The engine's {@link Analysis} on Prometheus: a {@link GateAnalysis} and the client it queries. */
public final class PrometheusAnalysis implements Analysis {

    private final PrometheusClient client;
    private final GateAnalysis gates;
    private List<GateEvaluation> lastTick = List.of();

    public PrometheusAnalysis(PrometheusClient client, GateAnalysis gates) {
        this.client = client;
        this.gates = gates;
    }

    @Override
    public List<Evaluation> tick(Instant now) throws InterruptedException {
        lastTick = gates.tick(client, now);
        return lastTick.stream().map(PrometheusAnalysis::evaluation).collect(Collectors.toList());
    }

    /** The evaluations of the latest {@link #tick}, for a log that writes rounds rather than single gates. */
    public List<GateEvaluation> lastTick() {
        return lastTick;
    }

    static Evaluation evaluation(GateEvaluation e) {
        Double value = Double.isFinite(e.value()) ? e.value() : null;
        return new Evaluation(e.toString(), new GatePoint(e.gate(), value, e.threshold(), e.comparison().symbol(),
                e.verdict().name()));
    }

    @Override
    public Verdict verdict() {
        return gates.verdict();
    }

    @Override
    public Optional<Instant> firstFailureAt() {
        return gates.firstFailureAt();
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return gates.nextDueAt(now);
    }

    @Override
    public String inconclusiveSummary() {
        return gates.inconclusiveSummary();
    }

    @Override
    public String failureSummary() {
        return gates.latest().stream().filter(e -> e.verdict() == Verdict.FAIL).map(GateEvaluation::toString)
                .collect(Collectors.joining("; "));
    }
}
