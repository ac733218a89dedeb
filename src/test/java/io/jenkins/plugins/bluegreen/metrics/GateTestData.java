package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import io.jenkins.plugins.bluegreen.testinfra.Promtool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Ten minutes of known metrics, written as OpenMetrics with explicit timestamps (a sample every 5 s, t = 0..600 s
 * after {@link #T0}) and backfilled with promtool, so gate tests query exact values at fixed instants. Each
 * scenario has its own service in namespace {@code shop}, colour {@code green}; 100 requests/s unless said.
 * <ul>
 *   <li>{@code checkout}: 6 % 5xx during (300 s, 390 s]. With rate[1m] the ratio is above 1 % at 315..435 s and
 *       0.06 at 360..390 s; sampled every 10 s, it has breached for 60 s first at 380 s (since 320 s).</li>
 *   <li>{@code cart}: a short spike, 3 % 5xx during (300 s, 325 s]: the ratio peaks at 0.0125 and is above 1 % only
 *       at 325..360 s, less than the 60 s sustain window.</li>
 *   <li>{@code search}: latency histogram, 80 requests/s; from 200 s on, 10/s take 1..2 s: p95 = 1.6 s (0.095 s
 *       before). p95 &gt; 1 s from 225 s on; sustained 120 s first at 350 s (since 230 s).</li>
 *   <li>{@code flap_gauge{service="flappy"}}: 150 and 50 alternating every 20 s (150 at 20..35, 60..75, ...) before
 *       300 s, then 150: above 100 for 60 s first at 360 s (since 300 s).</li>
 *   <li>{@code gappy}: healthy traffic, but no samples at all in (200 s, 500 s).</li>
 *   <li>{@code judge_latency_ms}, per colour, for the statistical judge: blue wanders over 100..122 ms; green has the
 *       same values in another order before 300 s, three times blue's from 300 s, and blue's + 10 ms from 450 s.</li>
 *   <li>postgres_exporter series for one server ({@code instance="db:9187"}): max_connections 100; backends 50
 *       before 200 s, 85 before 400 s, 95 after (plus PG15's {@code datname=""} row at 0).</li>
 * </ul>
 */
public final class GateTestData {

    /** 2024-01-01T00:00:00Z. */
    static final long T0 = 1_704_067_200L;
    static final String TOKEN = "prom-t0ken-s3cr3t";

    private GateTestData() {
    }

    public static Instant at(int secondsAfterT0) {
        return Instant.ofEpochSecond(T0 + secondsAfterT0);
    }

    /** Writes the data, backfills a TSDB in {@code dir} and starts Prometheus on it. */
    public static PrometheusProcess startPrometheus(Path dir) {
        try {
            Path om = dir.resolve("gates.om");
            Files.writeString(om, openMetrics(), StandardCharsets.UTF_8);
            Path tsdb = dir.resolve("tsdb");
            Promtool.backfill(om, tsdb);
            return PrometheusProcess.startOnTsdb(dir, tsdb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PrometheusClient client(PrometheusProcess prometheus) {
        return new PrometheusClient(new PrometheusEndpoint(prometheus.url(), null, null), HttpTransport.of(HttpClient.newBuilder()));
    }

    static String openMetrics() {
        StringBuilder om = new StringBuilder();
        // http_requests_total: cumulative counters, one series at a time, samples in time order
        requests(om, "checkout", s -> s > 300 && s <= 390 ? 30 : 0, s -> true);
        requests(om, "cart", s -> s > 300 && s <= 325 ? 15 : 0, s -> true);
        requests(om, "gappy", s -> 0, s -> s <= 200 || s >= 500);
        latency(om);
        series(om, "flap_gauge{service=\"flappy\"}", s -> (s < 300 && (s / 20) % 2 == 1) || s >= 300 ? 150 : 50);
        series(om, "judge_latency_ms{color=\"blue\"}", GateTestData::judgeBlue);
        series(om, "judge_latency_ms{color=\"green\"}", s -> s < 300 ? judgeBlue(s + 35) : s < 450 ? 3 * judgeBlue(s) : judgeBlue(s) + 10);
        series(om, "pg_settings_max_connections{instance=\"db:9187\",job=\"postgres\"}", s -> 100);
        series(om, "pg_stat_database_numbackends{datid=\"16384\",datname=\"app\",instance=\"db:9187\",job=\"postgres\"}",
                s -> s < 200 ? 50 : s < 400 ? 85 : 95);
        series(om, "pg_stat_database_numbackends{datid=\"0\",datname=\"\",instance=\"db:9187\",job=\"postgres\"}", s -> 0);
        return om.append("# EOF\n").toString();
    }

    /** 500 requests per 5 s step ({@code errorsPerStep} of them 5xx) for one service; samples where {@code present}. */
    private static void requests(StringBuilder om, String service, IntFunction<Integer> errorsPerStep, IntPredicate present) {
        String labels = "namespace=\"shop\",service=\"" + service + "\",color=\"green\"";
        for (String code : new String[] {"200", "500"}) {
            long count = 0;
            for (int s = 0; s <= 600; s += 5) {
                int errors = s == 0 ? 0 : errorsPerStep.apply(s);
                count += code.equals("500") ? errors : (s == 0 ? 0 : 500 - errors);
                if (present.test(s)) {
                    line(om, "http_requests_total{" + labels + ",code=\"" + code + "\"}", count, s);
                }
            }
        }
    }

    /** {@code search}: 400 requests per step; from 200 s on, 50 of them in the (1, 2] s bucket. */
    private static void latency(StringBuilder om) {
        String labels = "namespace=\"shop\",service=\"search\",color=\"green\"";
        for (String le : new String[] {"0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "+Inf"}) {
            boolean includesSlow = !le.equals("0.1") && !le.equals("0.25") && !le.equals("0.5") && !le.equals("1.0");
            long count = 0;
            for (int s = 0; s <= 600; s += 5) {
                if (s > 0) {
                    int slow = s > 200 ? 50 : 0;
                    count += includesSlow ? 400 : 400 - slow;
                }
                line(om, "http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"}", count, s);
            }
        }
    }

    /** Deterministic noise: 100..122, each value as often as the others over 23 samples. */
    private static int judgeBlue(int s) {
        return 100 + (s / 5) * 37 % 23;
    }

    private static void series(StringBuilder om, String name, IntFunction<Integer> value) {
        for (int s = 0; s <= 600; s += 5) {
            line(om, name, value.apply(s), s);
        }
    }

    private static void line(StringBuilder om, String series, long value, int s) {
        om.append(series).append(' ').append(value).append(' ').append(T0 + s).append('\n');
    }
}
