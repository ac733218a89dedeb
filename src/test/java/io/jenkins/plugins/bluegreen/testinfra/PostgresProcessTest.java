package io.jenkins.plugins.bluegreen.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL and postgres_exporter start, report what the tests rely on, and leave nothing behind. */
class PostgresProcessTest {

    @Test
    void startsWithTheRequestedLimitsHoldsConnectionsAndIsScrapableThroughTheExporter() throws Exception {
        Path dir;
        try (PostgresProcess pg = PostgresProcess.start(40, 2)) {
            dir = pg.dir();
            try (Connection c = pg.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('max_connections'),"
                            + " current_setting('superuser_reserved_connections'), current_setting('fsync')")) {
                rs.next();
                assertEquals("40", rs.getString(1));
                assertEquals("2", rs.getString(2));
                assertEquals("off", rs.getString(3));
            }
            int before = pg.clientBackends();
            try (PostgresProcess.HeldConnections held = pg.holdConnections(5)) {
                assertEquals(5, held.size());
                assertEquals(before + 5, pg.clientBackends());
            }
            assertEquals(before, pg.clientBackends());

            try (PostgresExporterProcess exporter = PostgresExporterProcess.start(pg, dir)) {
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(exporter.metricsUrl()).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("\npg_up 1\n"), "pg_up 1");
                assertTrue(metrics.contains("pg_settings_max_connections{server=\"127.0.0.1:" + pg.port() + "\"} 40"),
                        "max_connections 40");
                long pid = exporter.pid();
                exporter.close();
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "exporter stopped");
            }
        }
        assertFalse(Files.exists(dir), "the cluster directory is deleted");
    }
}
