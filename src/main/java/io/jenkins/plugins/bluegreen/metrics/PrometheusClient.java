package io.jenkins.plugins.bluegreen.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.JsonHttpClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A small client for the Prometheus HTTP API over the JDK's {@link HttpClient}. The caller supplies the
 * {@link HttpTransport} (in Jenkins, one for the whole plugin, with its proxy settings); the endpoint's credentials go
 * with each request; TLS is verified as the JDK does. The transport and its error messages are
 * {@link JsonHttpClient}'s, shared with the Alertmanager client.
 */
public class PrometheusClient extends JsonHttpClient<PrometheusException> {

    private final PrometheusEndpoint endpoint;

    public PrometheusClient(PrometheusEndpoint endpoint, HttpTransport transport) {
        super("Prometheus", endpoint, transport);
        this.endpoint = endpoint;
    }

    @Override
    protected PrometheusException failure(String message, int status) {
        return new PrometheusException(message, status);
    }

    public PrometheusEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Checks address, TLS and credentials with {@code /api/v1/status/buildinfo}.
     *
     * @return the Prometheus version
     */
    public String checkConnection() throws PrometheusException, InterruptedException {
        JsonNode data = get("/api/v1/status/buildinfo");
        String version = data.path("version").asText("");
        return version.isEmpty() ? "unknown" : version;
    }

    /**
     * The longest scrape interval in the server's configuration ({@code /api/v1/status/config}): the global
     * {@code scrape_interval} or a job's own, whichever is longer, since the gates' series may come from any job.
     * Empty when the configuration has none (Prometheus then scrapes every minute) or cannot be read.
     */
    public Optional<Duration> scrapeInterval() throws PrometheusException, InterruptedException {
        JsonNode data = get("/api/v1/status/config");
        return ScrapeConfig.longestScrapeInterval(data.path("yaml").asText(""));
    }

    /**
     * Evaluates PromQL at one instant ({@code /api/v1/query}).
     *
     * @return one sample per series: a vector as is, a scalar as one sample without labels, and a matrix (a range
     *     selector such as {@code x[1m]}) flattened; empty when nothing matched
     */
    public List<Sample> instantQuery(String promql, Instant at) throws PrometheusException, InterruptedException {
        Objects.requireNonNull(at, "at");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", requireQuery(promql));
        form.put("time", seconds(at.toEpochMilli()));
        JsonNode data = post("/api/v1/query", form);
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        List<Sample> samples = new ArrayList<>();
        switch (type) {
            case "vector":
                for (JsonNode series : result) {
                    samples.add(sample(labels(series.path("metric")), series.path("value")));
                }
                return samples;
            case "scalar":
                samples.add(sample(Map.of(), result));
                return samples;
            case "matrix":
                for (Series series : matrix(result)) {
                    samples.addAll(series.samples());
                }
                return samples;
            default:
                throw new PrometheusException("the query returned a " + (type.isEmpty() ? "result without a type" : type)
                        + ", not numbers", 200);
        }
    }

    /** Evaluates PromQL over a time range ({@code /api/v1/query_range}); series without samples are left out. */
    public List<Series> rangeQuery(String promql, Instant start, Instant end, Duration step)
            throws PrometheusException, InterruptedException {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("the range ends (" + end + ") before it starts (" + start + ")");
        }
        if (step == null || step.toMillis() <= 0) {
            throw new IllegalArgumentException("the range query step must be at least 1 ms");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", requireQuery(promql));
        form.put("start", seconds(start.toEpochMilli()));
        form.put("end", seconds(end.toEpochMilli()));
        form.put("step", seconds(step.toMillis()));
        JsonNode data = post("/api/v1/query_range", form);
        String type = data.path("resultType").asText("");
        if (!"matrix".equals(type)) {
            throw new PrometheusException("the range query returned a " + (type.isEmpty() ? "result without a type" : type)
                    + ", not a matrix", 200);
        }
        return matrix(data.path("result"));
    }

    /** GETs an API path and returns the {@code data} member of a successful answer. */
    protected JsonNode get(String pathAndQuery) throws PrometheusException, InterruptedException {
        return data(send(request(pathAndQuery).GET()));
    }

    /**
     * POSTs a form to an API path: queries go in the body, so long PromQL does not hit URL length limits and stays
     * out of access logs.
     */
    protected JsonNode post(String path, Map<String, String> form) throws PrometheusException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return data(send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))));
    }

    private static String requireQuery(String promql) {
        if (promql == null || promql.isBlank()) {
            throw new IllegalArgumentException("the PromQL query is empty");
        }
        return promql;
    }

    /** Prometheus takes times and steps as decimal seconds; milliseconds are its resolution. */
    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    private static List<Series> matrix(JsonNode result) throws PrometheusException {
        List<Series> all = new ArrayList<>();
        for (JsonNode series : result) {
            Map<String, String> labels = labels(series.path("metric"));
            List<Sample> samples = new ArrayList<>();
            for (JsonNode pair : series.path("values")) {
                samples.add(sample(labels, pair));
            }
            if (!samples.isEmpty()) {
                all.add(new Series(labels, samples));
            }
        }
        return all;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        return labels;
    }

    /** A {@code [<unix seconds>, "<value>"]} pair. */
    private static Sample sample(Map<String, String> labels, JsonNode pair) throws PrometheusException {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            throw new PrometheusException("Prometheus returned a malformed sample", 200);
        }
        long millis = pair.get(0).decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
        return new Sample(labels, Instant.ofEpochMilli(millis), value(pair.get(1).asText()));
    }

    private static double value(String text) throws PrometheusException {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new PrometheusException("Prometheus returned a value that is not a number", 200);
                }
        }
    }

    private static JsonNode data(Answer answer) throws PrometheusException {
        int status = answer.status();
        JsonNode json = json(answer.body()).filter(JsonNode::isObject).orElse(null);
        if (json == null) {
            throw new PrometheusException("the server did not answer like Prometheus (HTTP " + status
                    + ", no Prometheus JSON)", status);
        }
        if (!"success".equals(json.path("status").asText()) || !answer.ok()) {
            String type = json.path("errorType").asText("");
            String error = json.path("error").asText("");
            throw new PrometheusException("Prometheus answered HTTP " + status
                    + (type.isEmpty() ? "" : ", " + type) + (error.isEmpty() ? "" : ": " + abbreviate(error)), status);
        }
        return json.path("data");
    }
}
