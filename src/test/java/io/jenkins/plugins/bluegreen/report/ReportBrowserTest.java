package io.jenkins.plugins.bluegreen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens written reports in a real browser, headless Chromium (the Debian package {@code chromium}): reads the DOM
 * it built, checks the page logged nothing to its console, and saves a screenshot next to each report
 * ({@code central/target/reports/} in the Central build).
 */
class ReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 30;

    /**
     * A message the page wrote to its console (Chromium logs them as {@code INFO:CONSOLE(12)} or {@code INFO:CONSOLE:12}
     * with {@code --enable-logging=stderr}), or an uncaught exception. The report has no script, so any is a fault.
     * Chromium's own lines (D-Bus, GPU, sandbox warnings) are not about the page and do not count.
     */
    private static final Pattern PAGE_CONSOLE = Pattern.compile(":CONSOLE[(:]\\d*|\\bUncaught\\b");

    private static Path reports;

    @TempDir
    Path scratch;

    @BeforeAll
    static void chromiumAndTheReportDirectory() throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is needed to test the rollout report in a real browser, and "
                + CHROMIUM + " is missing: install the Debian package 'chromium' (scripts/lib/prerequisites.sh does)");
        String configured = System.getProperty("report.dir");
        reports = configured != null && !configured.isBlank() ? Path.of(configured) : Files.createTempDirectory("rollout-reports");
        Files.createDirectories(reports);
    }

    /** What one Chromium run printed. */
    private record Run(String stdout, String stderr) {}

    private Run chromium(String name, String... args) throws Exception {
        Path out = scratch.resolve(name + ".out");
        Path err = scratch.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--no-first-run",
                "--user-data-dir=" + scratch.resolve(name + ".profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
        } finally {
            p.destroyForcibly();
        }
        Run run = new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), "Chromium failed: " + command + "\n" + run.stderr());
        return run;
    }

    private static List<String> pageConsoleLines(String stderr) {
        return stderr.lines().filter(l -> PAGE_CONSOLE.matcher(l).find()).collect(Collectors.toList());
    }

    /** The serialized element that starts with {@code <tag id="id"}, through its closing tag. */
    private static String element(String dom, String tag, String id) {
        int start = dom.indexOf("<" + tag + " id=\"" + id + "\"");
        assertTrue(start >= 0, "no <" + tag + " id=\"" + id + "\"> in the page the browser built");
        int end = dom.indexOf("</" + tag + ">", start);
        assertTrue(end > start, id + " is not closed");
        return dom.substring(start, end);
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }

    /** Pixels within a small distance of {@code rgb}: enough of a colour shows the charts were painted. */
    private static long pixels(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (rgb & 0xff));
                n += d <= 24 ? 1 : 0;
            }
        }
        return n;
    }

    /** Writes the report, loads it for its DOM and a screenshot, and checks what is common to every report. */
    private String open(RolloutRecord record, String name) throws Exception {
        Path html = reports.resolve(name + ".html");
        Path png = reports.resolve(name + ".png");
        Files.deleteIfExists(png);
        HtmlReport.write(record, html);
        String url = html.toAbsolutePath().toUri().toString();

        // Two browsers at once: the DOM and the screenshot each need a run of their own.
        CompletableFuture<Run> screenshot = CompletableFuture.supplyAsync(() -> {
            try {
                return chromium(name + "-shot", "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,2000", url);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        Run dom = chromium(name + "-dom", "--dump-dom", url);
        assertEquals(List.of(), pageConsoleLines(dom.stderr()), "the page logged to its console");
        Run shot = screenshot.get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        assertEquals(List.of(), pageConsoleLines(shot.stderr()), "the page logged to its console");
        assertTrue(Files.isRegularFile(png), "no screenshot at " + png + "\n" + shot.stderr());
        assertTrue(Files.size(png) > 30_000, "a screenshot of " + Files.size(png) + " bytes is too small to show a report");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(1280, img.getWidth());
        assertTrue(pixels(img, 0x16a34a) > 200, "green's share of traffic is painted in green");

        String page = dom.stdout();
        for (String id : List.of("outcome", "weights-chart", "timeline", "preflight")) {
            assertTrue(page.contains(" id=\"" + id + "\""), id + " is missing");
        }
        assertTrue(element(page, "figure", "weights-chart").contains("<polyline"), "the weights chart has its line");
        assertFalse(page.contains("<script"), "the report needs no script");
        return page;
    }

    private static String outcome(String dom) {
        Matcher m = Pattern.compile("<span id=\"outcome\"[^>]*>([^<]*)</span>").matcher(dom);
        assertTrue(m.find(), "no outcome badge");
        return m.group(1);
    }

    private static List<String> gateChartIds(String dom) {
        return Pattern.compile("<figure id=\"(gate-[^\"]+)\"").matcher(dom).results().map(m -> m.group(1)).collect(Collectors.toList());
    }

    @Test
    void aRolledBackRolloutShowsTheBreachAndTheRecovery() throws Exception {
        String dom = open(RolloutFixtures.rolledBack(), "rollout-shop-checkout-rolled-back");
        assertEquals("Rolled back", outcome(dom));
        assertEquals(List.of("gate-errorRate", "gate-p95Latency"), gateChartIds(dom), "one chart per gate");
        String errors = element(dom, "figure", "gate-errorRate");
        String latency = element(dom, "figure", "gate-p95Latency");
        for (String chart : List.of(errors, latency)) {
            assertEquals(1, count(chart, "<svg"));
            assertTrue(chart.contains("<polyline"), "each gate chart draws its series");
            assertTrue(chart.contains("class=\"bgd-threshold\""), "and its threshold");
        }
        assertEquals(1, count(errors, "class=\"bgd-breach\""), "the failed evaluation is marked");
        assertEquals(0, count(latency, "class=\"bgd-breach\""), "the gate that held has no breach");
        String recovery = element(dom, "section", "recovery");
        assertTrue(recovery.contains("12.8 s") && recovery.contains("gate failed: errorRate FAIL"), recovery);
        assertTrue(pixels(ImageIO.read(reports.resolve("rollout-shop-checkout-rolled-back.png").toFile()), 0xdc2626) > 50,
                "the breach and the threshold are painted in red");
    }

    @Test
    void aPromotedRolloutShowsItsGatesHolding() throws Exception {
        String dom = open(RolloutFixtures.promoted(), "rollout-shop-checkout-promoted");
        assertEquals("Promoted", outcome(dom));
        assertEquals(List.of("gate-errorRate", "gate-p95Latency"), gateChartIds(dom));
        for (String id : gateChartIds(dom)) {
            String chart = element(dom, "figure", id);
            assertTrue(chart.contains("<polyline"));
            assertFalse(chart.contains("class=\"bgd-breach\""));
        }
        assertFalse(dom.contains(" id=\"recovery\""), "nothing was rolled back");
    }

    /** The console check above would catch a faulty page: it is not looking at the wrong lines. */
    @Test
    void theConsoleCheckSeesAPagesErrors() throws Exception {
        Path page = scratch.resolve("faulty.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>faulty</title></head><body>"
                + "<script>console.error('seen by the check'); notDefined();</script></body></html>");
        List<String> lines = pageConsoleLines(chromium("faulty", "--dump-dom", page.toUri().toString()).stderr());
        assertTrue(lines.stream().anyMatch(l -> l.contains("seen by the check")), String.valueOf(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("Uncaught ReferenceError")), String.valueOf(lines));
    }
}
