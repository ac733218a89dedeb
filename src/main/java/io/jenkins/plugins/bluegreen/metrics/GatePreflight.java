package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.PreFlightCheck;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Asks Prometheus every gate's query once, for the stable colour, before a deploy changes anything. The stable
 * colour serves traffic, so its series must exist: an error (malformed PromQL, refused credentials, Prometheus
 * unreachable) or an empty answer (wrong metric or labels) is reported now, with the gate's name, instead of
 * turning into an inconclusive analysis after traffic has moved. On the first rollout there is nothing to ask.
 */
public final class GatePreflight implements PreFlightCheck {

    private final PrometheusClient prometheus;
    private final Function<Color, List<Gate>> gatesFor;
    private final Clock clock;

    /** @param gatesFor the gates as they will watch a colour (built for the stable colour here) */
    public GatePreflight(PrometheusClient prometheus, Function<Color, List<Gate>> gatesFor, Clock clock) {
        this.prometheus = prometheus;
        this.gatesFor = gatesFor;
        this.clock = clock;
    }

    @Override
    public String check(Context c) {
        if (c.stable() == null) {
            return "gates not checked: the first rollout has no serving colour to measure";
        }
        List<String> values = new ArrayList<>();
        for (Gate gate : gatesFor.apply(c.stable())) {
            List<Sample> answer;
            try {
                answer = prometheus.instantQuery(GateEvaluator.valueQuery(gate), clock.instant());
            } catch (PrometheusException e) {
                throw new RolloutException(RolloutException.Kind.PRE_FLIGHT, "gate " + gate.name() + " cannot be evaluated: "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RolloutException(RolloutException.Kind.PRE_FLIGHT, "interrupted while checking gate " + gate.name());
            }
            if (answer.isEmpty()) {
                throw new RolloutException(RolloutException.Kind.PRE_FLIGHT, "gate " + gate.name() + " finds no series for the "
                        + "serving colour " + c.stable() + ": check the query's metric names and labels (" + gate.query() + ")");
            }
            values.add(gate.name() + " = " + GateEvaluation.number(answer.get(0).value()));
        }
        return "gates answer for " + c.stable() + ": " + String.join(", ", values);
    }
}
