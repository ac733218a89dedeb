package io.jenkins.plugins.bluegreen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromqlTemplateTest {

    @Test
    void theBuiltInTemplatesRenderWithTheGuideDefaults() {
        Gate errorRate = GateTemplate.ERROR_RATE.gate(new RolloutTarget("shop", "checkout"), Color.GREEN);
        assertEquals("(sum(rate(http_requests_total{namespace=\"shop\",service=\"checkout\",color=\"green\",code=~\"5..\"}[1m]))"
                + " or vector(0)) / sum(rate(http_requests_total{namespace=\"shop\",service=\"checkout\",color=\"green\"}[1m]))", errorRate.query());
        assertEquals("errorRate > 0.01 for 60 s", errorRate.describe());
        assertEquals(GatePolicy.INCONCLUSIVE, errorRate.onNoData());
        assertEquals(GatePolicy.INCONCLUSIVE, errorRate.onError());
        assertEquals(3, errorRate.inconclusiveLimit());
        assertEquals(Duration.ofSeconds(10), errorRate.step());

        Gate p95 = GateTemplate.P95_LATENCY.gate("shop", "checkout", "blue");
        assertEquals("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket"
                + "{namespace=\"shop\",service=\"checkout\",color=\"blue\"}[1m])))", p95.query());
        assertEquals("p95Latency > 1 for 120 s", p95.describe());

        Gate db = GateTemplate.DB_CONNECTION_RATIO.gate("shop", "checkout", "green");
        assertEquals("dbConnectionRatio >= 0.9", db.describe());
        assertEquals(0.80, db.warningThreshold());
        assertEquals(GateTemplate.DB_CONNECTION_RATIO, GateTemplate.byId("dbConnectionRatio"));
    }

    @Test
    void promqlInjectionThroughAServiceNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GateTemplate.ERROR_RATE.gate("shop", "a\"}or vector(1)#", "green"));
        assertEquals("the service 'a\"}or vector(1)#' cannot be put into PromQL: only lower-case letters, digits and '-'"
                + " are allowed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GateTemplate.ERROR_RATE.gate("Shop", "checkout", "green"));
        assertThrows(IllegalArgumentException.class, () -> GateTemplate.ERROR_RATE.gate("shop", "checkout", ""));
    }

    @Test
    void onlyTheThreeKnownVariablesExist() {
        assertEquals("up{job=\"x\",service=\"s\"}", PromqlTemplate.render("up{job=\"x\",service=\"${service}\"}", Map.of("service", "s")));
        assertEquals("unknown PromQL variable ${job} (known: ${service}, ${namespace}, ${color})",
                assertThrows(IllegalArgumentException.class, () -> PromqlTemplate.render("up{job=\"${job}\"}", Map.of())).getMessage());
        assertEquals("the PromQL query uses ${color} but no color is set",
                assertThrows(IllegalArgumentException.class, () -> PromqlTemplate.render("up{color=\"${color}\"}", Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PromqlTemplate.render("up", Map.of("job", "x")));
    }

    @Test
    void gateSettingsAreChecked() {
        Gate g = Gate.custom("g", "up", Comparison.GE, 0.9, Duration.ofSeconds(30));
        assertThrows(IllegalArgumentException.class, () -> g.withWarningThreshold(0.95), "a warning must be less severe");
        assertThrows(IllegalArgumentException.class, () -> g.withWarningThreshold(0.9));
        assertEquals(0.8, g.withWarningThreshold(0.8).warningThreshold());
        Gate low = Gate.custom("l", "up", Comparison.LT, 0.99, Duration.ZERO);
        assertEquals(0.995, low.withWarningThreshold(0.995).warningThreshold());
        assertThrows(IllegalArgumentException.class, () -> g.withThreshold(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> g.withSustain(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> g.withInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> g.withInconclusiveLimit(-1));
        assertEquals(Duration.ofSeconds(5), g.step(), "at least six samples per window");
        assertEquals(Duration.ofSeconds(2), g.withInterval(Duration.ofSeconds(2)).step(), "no coarser than the interval");
        assertEquals(Duration.ofSeconds(1), g.withSustain(Duration.ofSeconds(3)).step());
    }
}
