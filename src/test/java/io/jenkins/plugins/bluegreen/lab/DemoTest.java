package io.jenkins.plugins.bluegreen.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command, end to end with short windows: the demo starts the traffic lab, the healthy version is
 * promoted and decommissions the old colour, the faulty one is rolled back by its error-rate gate, both reports are
 * written, and everything the demo started is stopped.
 */
class DemoTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void bothRolloutsEndAsTheyShouldAndWriteTheirReports(@TempDir Path reports) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Demo demo = new Demo(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        int code = new CommandLine(demo).setCaseInsensitiveEnumValuesAllowed(true).execute(
                "--window", "2s", "--bake", "1s", "--reports", reports.toString());
        String log = out.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, log);
        List<String[]> rows = demo.summary();
        assertEquals(2, rows.size(), log);
        assertEquals(List.of("healthy", "STABLE", "100 %"), List.of(rows.get(0)).subList(0, 3), log);
        assertEquals(List.of("faulty", "ROLLED_BACK"), List.of(rows.get(1)).subList(0, 2), log);
        assertTrue(rows.get(1)[3].matches("\\d+\\.\\d s from the first bad sample \\(engine: \\d+ ms\\)"), rows.get(1)[3]);
        String healthy = Files.readString(reports.resolve("healthy.html"));
        String faulty = Files.readString(reports.resolve("faulty.html"));
        for (String html : List.of(healthy, faulty)) {
            assertTrue(html.contains("id=\"outcome\"") && html.contains("id=\"weights-chart\"")
                    && html.contains("id=\"gate-errorRate\""), "a full report");
        }
        assertTrue(faulty.contains("id=\"recovery\""), "the faulty rollout's report shows its recovery");
        assertFalse(healthy.contains("id=\"recovery\""));
        assertTrue(log.contains("decommissioned after a bake time of 1 s"), log);
        assertTrue(log.contains("rolling back to blue: gate failed: errorRate FAIL"), log);
        assertTrue(log.contains("Stopped everything the demo started."), log);
    }
}
