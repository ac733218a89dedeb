package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.engine.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bluegreen.net.HttpAuth;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

    private static final String TOKEN = "prom-s3cr3t";

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\",\"revision\":\"x\"}}";
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PrometheusClient client(HttpAuth auth, Duration timeout) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new PrometheusClient(PrometheusEndpoint.of(url, auth, timeout), HttpTransport.of(HttpClient.newBuilder()));
    }

    @Test
    void checkConnectionReturnsTheVersionAndSendsTheBearerToken() throws Exception {
        assertEquals("2.42.0", client(new HttpAuth.Bearer(TOKEN), null).checkConnection());
        assertEquals(List.of("Bearer " + TOKEN), authorizations);
    }

    @Test
    void basicAuthenticationIsSentAsSuch() throws Exception {
        client(new HttpAuth.Basic("grafana", "pw"), null).checkConnection();
        assertEquals("Basic Z3JhZmFuYTpwdw==", authorizations.get(0));
    }

    @Test
    void noAuthenticationSendsNoHeader() throws Exception {
        client(new HttpAuth.None(), null).checkConnection();
        assertEquals("null", authorizations.get(0));
    }

    @Test
    void aWrongTokenIsReportedByStatusWithoutTheToken() {
        status = 401;
        body = "Unauthorized: token " + TOKEN + " unknown";
        PrometheusException e = assertThrows(PrometheusException.class, () -> client(new HttpAuth.Bearer(TOKEN), null).checkConnection());
        assertEquals("Prometheus refused the credentials (HTTP 401)", e.getMessage());
        assertEquals(401, e.status());
    }

    @Test
    void prometheusErrorsKeepTheirTypeAndText() {
        status = 400;
        body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}";
        PrometheusException e = assertThrows(PrometheusException.class, () -> client(new HttpAuth.None(), null).checkConnection());
        assertEquals("Prometheus answered HTTP 400, bad_data: 1:5: parse error: unexpected end of input", e.getMessage());
    }

    @Test
    void aServerThatIsNotPrometheusIsNotQuoted() {
        status = 500;
        body = "<html>Internal error; Authorization: Bearer " + TOKEN + "</html>";
        PrometheusException e = assertThrows(PrometheusException.class, () -> client(new HttpAuth.Bearer(TOKEN), null).checkConnection());
        assertEquals("the server did not answer like Prometheus (HTTP 500, no Prometheus JSON)", e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
    }

    @Test
    void redirectsAreNotFollowedSoTheTokenStaysWithTheServer() {
        status = 302;
        body = "";
        PrometheusException e = assertThrows(PrometheusException.class, () -> client(new HttpAuth.Bearer(TOKEN), null).checkConnection());
        assertEquals(302, e.status());
        assertEquals(1, authorizations.size());
    }

    @Test
    void aSlowServerTimesOut() {
        delayMillis = 2500;
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> client(new HttpAuth.None(), Duration.ofSeconds(1)).checkConnection());
        assertEquals("Prometheus did not answer within 1 s", e.getMessage());
    }

    @Test
    void anUnreachableServerIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        PrometheusClient c = new PrometheusClient(PrometheusEndpoint.of("http://127.0.0.1:" + closedPort, null, null), HttpTransport.of(HttpClient.newBuilder()));
        PrometheusException e = assertThrows(PrometheusException.class, c::checkConnection);
        assertTrue(e.getMessage().startsWith("cannot connect to Prometheus at http://127.0.0.1:"), e.getMessage());
        assertEquals(0, e.status());
    }

    @Test
    void endpointsAcceptOnlyHttpUrlsAndSaneTimeouts() {
        assertEquals(HttpUrl.Problem.SCHEME, assertThrows(HttpUrl.InvalidUrlException.class,
                () -> PrometheusEndpoint.of("file:///etc/prometheus", null, null)).problem());
        assertEquals(HttpUrl.Problem.SCHEME, assertThrows(HttpUrl.InvalidUrlException.class,
                () -> PrometheusEndpoint.of("ftp://prometheus.example.com", null, null)).problem());
        assertThrows(IllegalArgumentException.class, () -> PrometheusEndpoint.of("http://p:9090", null, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PrometheusEndpoint.of("http://p:9090", null, Duration.ofHours(1)));
        assertFalse(new HttpAuth.Bearer(TOKEN).toString().contains(TOKEN));
        assertFalse(new HttpAuth.Basic("u", TOKEN).toString().contains(TOKEN));
    }

    @Test
    void queriesArePostedAsAForm() throws Exception {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"code\":\"500\"},\"value\":[1704067200.5,\"NaN\"]}]}}";
        List<Sample> samples = client(new HttpAuth.None(), null).instantQuery("sum by (code) (x{a=\"b c\"})",
                Instant.ofEpochMilli(1_704_067_200_500L));
        assertEquals("POST /api/v1/query application/x-www-form-urlencoded "
                + "query=sum+by+%28code%29+%28x%7Ba%3D%22b+c%22%7D%29&time=1704067200.500", requests.get(0));
        assertEquals(Map.of("code", "500"), samples.get(0).labels());
        assertEquals(Instant.ofEpochMilli(1_704_067_200_500L), samples.get(0).at());
        assertTrue(Double.isNaN(samples.get(0).value()));

        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{},\"values\":[[1704067200,\"+Inf\"],[1704067215,\"-Inf\"]]}]}}";
        List<Series> series = client(new HttpAuth.None(), null).rangeQuery("x", Instant.ofEpochSecond(1_704_067_200L),
                Instant.ofEpochSecond(1_704_067_215L), Duration.ofMillis(15_000));
        assertEquals("POST /api/v1/query_range application/x-www-form-urlencoded "
                + "query=x&start=1704067200.000&end=1704067215.000&step=15.000", requests.get(1));
        assertEquals(List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                series.get(0).samples().stream().map(Sample::value).toList());
    }

    @Test
    void aRefusedQueryNeverQuotesTheTokenOrTheBody() throws Exception {
        status = 401;
        body = "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"token " + TOKEN + " unknown\"}";
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> client(new HttpAuth.Bearer(TOKEN), null).instantQuery("up", Instant.EPOCH));
        assertEquals("Prometheus refused the credentials (HTTP 401)", e.getMessage());
        GateEvaluation gate = GateEvaluator.evaluate(client(new HttpAuth.Bearer(TOKEN), null),
                Gate.custom("up", "up", Comparison.LT, 1, Duration.ZERO), Instant.EPOCH);
        assertEquals(Verdict.INCONCLUSIVE, gate.verdict());
        assertFalse(gate.toString().contains(TOKEN), gate.toString());
    }

    @Test
    void aMalformedAnswerIsAnErrorNotAGuess() {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{},\"value\":[1704067200,\"lots\"]}]}}";
        assertEquals("Prometheus returned a value that is not a number", assertThrows(PrometheusException.class,
                () -> client(new HttpAuth.None(), null).instantQuery("up", Instant.EPOCH)).getMessage());
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[]}]}}";
        assertEquals("Prometheus returned a malformed sample", assertThrows(PrometheusException.class,
                () -> client(new HttpAuth.None(), null).instantQuery("up", Instant.EPOCH)).getMessage());
    }
}
