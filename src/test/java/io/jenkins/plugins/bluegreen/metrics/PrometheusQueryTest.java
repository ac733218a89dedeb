package io.jenkins.plugins.bluegreen.metrics;

import static io.jenkins.plugins.bluegreen.metrics.GateTestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Instant and range queries against a real Prometheus on backfilled data ({@link GateTestData}). */
class PrometheusQueryTest {

    @RegisterExtension
    static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();

    @Test
    void anInstantVectorKeepsLabelsTimeAndValue() throws Exception {
        List<Sample> samples = PROMETHEUS.client().instantQuery("pg_stat_database_numbackends{datname=\"app\"}", at(300));
        assertEquals(1, samples.size());
        Sample s = samples.get(0);
        assertEquals(Map.of("__name__", "pg_stat_database_numbackends", "datid", "16384", "datname", "app",
                "instance", "db:9187", "job", "postgres"), s.labels());
        assertEquals(at(300), s.at());
        assertEquals(85.0, s.value());
    }

    @Test
    void timesKeepTheirMilliseconds() throws Exception {
        Sample s = PROMETHEUS.client().instantQuery("flap_gauge", at(300).plusMillis(250)).get(0);
        assertEquals(at(300).plusMillis(250), s.at());
    }

    @Test
    void scalarsAndSpecialValues() throws Exception {
        Sample inf = PROMETHEUS.client().instantQuery("1/0", at(0)).get(0);
        assertEquals(Map.of(), inf.labels());
        assertEquals(Double.POSITIVE_INFINITY, inf.value());
        assertEquals(Double.NEGATIVE_INFINITY, PROMETHEUS.client().instantQuery("-1/0", at(0)).get(0).value());
        assertTrue(Double.isNaN(PROMETHEUS.client().instantQuery("0/0", at(0)).get(0).value()));
        assertEquals(42.5, PROMETHEUS.client().instantQuery("scalar(vector(42.5))", at(0)).get(0).value());
    }

    @Test
    void nothingMatchedIsAnEmptyList() throws Exception {
        assertEquals(List.of(), PROMETHEUS.client().instantQuery("http_requests_total{service=\"ghost\"}", at(300)));
        assertEquals(List.of(), PROMETHEUS.client().rangeQuery("http_requests_total{service=\"ghost\"}", at(0), at(600), Duration.ofMinutes(1)));
    }

    @Test
    void aRangeSelectorInAnInstantQueryIsFlattened() throws Exception {
        List<Sample> raw = PROMETHEUS.client().instantQuery("flap_gauge[10s]", at(300));
        assertEquals(List.of(at(290), at(295), at(300)), raw.stream().map(Sample::at).toList());
    }

    @Test
    void aRangeQueryReturnsOneSeriesPerLabelSet() throws Exception {
        List<Series> series = PROMETHEUS.client().rangeQuery("flap_gauge{service=\"flappy\"}", at(250), at(310), Duration.ofSeconds(10));
        assertEquals(1, series.size());
        assertEquals("flappy", series.get(0).labels().get("service"));
        assertEquals(List.of(50.0, 150.0, 150.0, 50.0, 50.0, 150.0, 150.0),
                series.get(0).samples().stream().map(Sample::value).toList());
        assertEquals(at(250), series.get(0).samples().get(0).at());
        assertEquals(at(310), series.get(0).samples().get(6).at());

        List<Series> byCode = PROMETHEUS.client().rangeQuery("sum by (code) (rate(http_requests_total{service=\"checkout\"}[1m]))",
                at(360), at(390), Duration.ofSeconds(15));
        assertEquals(2, byCode.size());
        for (Series s : byCode) {
            double expected = s.labels().get("code").equals("500") ? 6.0 : 94.0;
            for (Sample sample : s.samples()) {
                assertEquals(expected, sample.value(), 1e-9);
            }
        }
    }

    @Test
    void longPromqlFitsBecauseItIsPosted() throws Exception {
        StringBuilder q = new StringBuilder("flap_gauge{service=\"flappy\"}");
        while (q.length() < 40_000) {
            q.append(" + 0 * flap_gauge{service=\"flappy\"}");
        }
        assertEquals(150.0, PROMETHEUS.client().instantQuery(q.toString(), at(300)).get(0).value());
    }

    @Test
    void malformedPromqlKeepsPrometheusErrorTypeAndText() {
        PrometheusException e = assertThrows(PrometheusException.class, () -> PROMETHEUS.client().instantQuery("sum(rate(x[1m]", at(0)));
        assertEquals(400, e.status());
        assertEquals("Prometheus answered HTTP 400, bad_data: invalid parameter \"query\": 1:15: parse error: "
                + "unclosed left parenthesis (POST /api/v1/query on " + PROMETHEUS.url().getHost() + ":" + PROMETHEUS.url().getPort() + ")",
                e.getMessage());
    }

    @Test
    void aStringResultIsNotANumber() {
        PrometheusException e = assertThrows(PrometheusException.class, () -> PROMETHEUS.client().instantQuery("\"text\"", at(0)));
        assertEquals("the query returned a string, not numbers", e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class, () -> PROMETHEUS.client().instantQuery(" ", at(0)));
        assertThrows(IllegalArgumentException.class, () -> PROMETHEUS.client().rangeQuery("up", at(10), at(0), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> PROMETHEUS.client().rangeQuery("up", at(0), at(10), Duration.ZERO));
    }
}
