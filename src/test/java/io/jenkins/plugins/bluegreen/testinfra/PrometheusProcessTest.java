package io.jenkins.plugins.bluegreen.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusProcessTest {

    @TempDir
    Path dir;

    /** Scrapes a real target; takes ~5 s because of Prometheus' fixed first-scrape delay. */
    @Test
    void scrapesItsTargetsAndStopsByPid() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/metrics", exchange -> {
            byte[] bytes = "# TYPE lab_answer gauge\nlab_answer 42\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        app.start();
        try (PrometheusProcess prometheus = PrometheusProcess.start(dir,
                List.of("127.0.0.1:" + app.getAddress().getPort()), Duration.ofMillis(200))) {
            assertTrue(prometheus.url().toString().matches("http://127\\.0\\.0\\.1:\\d+"), prometheus.url().toString());
            HttpClient http = HttpClient.newHttpClient();
            URI query = prometheus.url().resolve("/api/v1/query?query=lab_answer");
            String answer = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!answer.contains("\"42\"") && System.nanoTime() < deadline) {
                answer = http.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertTrue(answer.contains("\"job\":\"lab\""), answer);
            assertTrue(answer.contains("\"42\""), answer);
            prometheus.close();
            assertFalse(prometheus.isAlive());
            assertFalse(ProcessHandle.of(prometheus.pid()).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            app.stop(0);
        }
    }

    @Test
    void startsWithoutTargetsOnAFreshTsdb() {
        try (PrometheusProcess a = PrometheusProcess.start(dir, List.of(), Duration.ofSeconds(1));
                PrometheusProcess b = PrometheusProcess.start(dir, List.of(), Duration.ofSeconds(1))) {
            assertFalse(a.url().equals(b.url()), "each binds its own port");
            assertFalse(a.tsdbDir().equals(b.tsdbDir()), "each has its own TSDB");
        }
    }

    @Test
    void backfillNeedsTheEofMarker() throws Exception {
        Path om = dir.resolve("no-eof.om");
        Files.writeString(om, "x 1 1704067200\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Promtool.backfill(om, dir.resolve("tsdb")));
        assertTrue(e.getMessage().endsWith("must end with the line '# EOF' (OpenMetrics)"), e.getMessage());
    }

    @Test
    void aMissingBinaryNamesTheDebianPackage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PrometheusProcess.requireBinary(Path.of("/nonexistent/prometheus")));
        assertEquals("/nonexistent/prometheus not found: install the Debian package 'prometheus' "
                + "(apt-get install --no-install-recommends prometheus)", e.getMessage());
    }
}
