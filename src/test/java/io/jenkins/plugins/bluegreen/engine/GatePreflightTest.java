package io.jenkins.plugins.bluegreen.engine;

import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.metrics.Comparison;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GatePreflight;
import io.jenkins.plugins.bluegreen.metrics.GateTemplate;
import io.jenkins.plugins.bluegreen.metrics.GateTestData;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.metrics.PrometheusEndpoint;
import io.jenkins.plugins.bluegreen.metrics.TokenProxy;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate queries are tried for the serving colour before a deploy: what would make the analysis useless after
 * traffic moved is reported first, by gate, and the cluster stays as it was.
 */
class GatePreflightTest extends LabTest {

    private static final String TOKEN = "pr0m-t0ken-s3cr3t";

    @TempDir
    static Path dir;
    static PrometheusProcess prometheus;
    static TokenProxy guarded;

    @BeforeAll
    static void startPrometheus() throws Exception {
        prometheus = GateTestData.startPrometheus(dir);
        guarded = new TokenProxy(prometheus.url(), TOKEN);
    }

    @AfterAll
    static void stopPrometheus() {
        if (guarded != null) {
            guarded.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static PrometheusClient client(String url, HttpAuth auth) {
        return new PrometheusClient(PrometheusEndpoint.of(url, auth, Duration.ofSeconds(2)), HttpTransport.of(HttpClient.newBuilder()));
    }

    /** Blue serving; the engine's clock inside the backfilled data. */
    private EngineLab serving() {
        EngineLab lab = lab(RouterSpec.Kind.GATEWAY_HTTP_ROUTE);
        lab.engine().deploy(lab.manifest("1.0.0"));
        lab.clock.set(at(300));
        return lab;
    }

    private static DeploySpec greenWith(EngineLab lab, PrometheusClient client, Function<Color, List<Gate>> gates) {
        return new DeploySpec(lab.target, new CandidateSource.NewImage("registry.example.com/shop/checkout:2.0.0", null),
                lab.router, null, Duration.ofSeconds(10), EngineLab.OWNER, List.of(new GatePreflight(client, gates, lab.clock)));
    }

    private static String refused(EngineLab lab, DeploySpec spec) {
        Map<String, String> before = lab.snapshot();
        RolloutException e = assertThrows(RolloutException.class, () -> lab.engine().deploy(spec));
        assertEquals(RolloutException.Kind.PRE_FLIGHT, e.kind(), e.getMessage());
        assertEquals(before, lab.snapshot(), "nothing changed");
        assertFalse(e.getMessage().contains(TOKEN));
        return e.getMessage();
    }

    @Test
    void gatesThatAnswerForTheServingColourLetTheDeployGoOn() {
        EngineLab lab = serving();
        RolloutRecord r = lab.engine().deploy(greenWith(lab, client(prometheus.url().toString(), null),
                c -> List.of(GateTemplate.ERROR_RATE.gate("shop", "cart", "green")))).record();
        assertEquals(Phase.READY, r.getPhase());
        assertTrue(r.getHistory().stream().anyMatch(e -> e.message().equals("gates answer for blue: errorRate = 0")),
                r.getHistory().toString());
    }

    @Test
    void aGateWithNoSeriesForTheServingColourIsNamed() {
        EngineLab lab = serving();
        String message = refused(lab, greenWith(lab, client(prometheus.url().toString(), null),
                c -> List.of(GateTemplate.ERROR_RATE.gate("shop", "checkout", c.label()))));
        assertTrue(message.startsWith("gate errorRate finds no series for the serving colour blue"), message);
    }

    @Test
    void malformedPromqlIsReportedWithPrometheusOwnWords() {
        EngineLab lab = serving();
        Gate broken = Gate.custom("broken", "sum(rate(http_requests_total[1m]", Comparison.GT, 0.01, Duration.ofSeconds(60));
        String message = refused(lab, greenWith(lab, client(prometheus.url().toString(), null), c -> List.of(broken)));
        assertTrue(message.startsWith("gate broken cannot be evaluated: Prometheus answered HTTP 400, bad_data: "), message);
    }

    @Test
    void aWrongTokenIsReportedWithoutTheToken() {
        EngineLab lab = serving();
        String message = refused(lab, greenWith(lab, client(guarded.url().toString(), new HttpAuth.Bearer("not-" + TOKEN)),
                c -> List.of(GateTemplate.ERROR_RATE.gate("shop", "cart", "green"))));
        assertEquals("gate errorRate cannot be evaluated: Prometheus refused the credentials (HTTP 401)", message);
        assertFalse(message.contains("not-" + TOKEN));
    }

    @Test
    void anUnreachablePrometheusIsReported() {
        EngineLab lab = serving();
        String message = refused(lab, greenWith(lab, client("http://127.0.0.1:1", null),
                c -> List.of(GateTemplate.ERROR_RATE.gate("shop", "cart", "green"))));
        assertEquals("gate errorRate cannot be evaluated: cannot connect to Prometheus at http://127.0.0.1:1", message);
    }
}
