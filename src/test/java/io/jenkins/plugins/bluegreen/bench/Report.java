package io.jenkins.plugins.bluegreen.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TEST CODE: what the benchmarks measured, as one table (figure, value, target, whether it was met) with notes, and
 * the machine it ran on. Figures are printed, never asserted: on a shared 2-core machine they are noisy.
 */
final class Report {

    /** One figure; {@code met} is null for a figure without a target. */
    record Row(String benchmark, String figure, String value, String target, Boolean met) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(String benchmark, String figure, String value) {
        rows.add(new Row(benchmark, figure, value, "", null));
    }

    synchronized void add(String benchmark, String figure, String value, String target, boolean met) {
        rows.add(new Row(benchmark, figure, value, target, met));
    }

    synchronized void note(String benchmark, String text) {
        notes.add(benchmark + ": " + text);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized void print(PrintStream out) {
        String[] head = {"benchmark", "figure", "measured", "target", ""};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = Math.max(1, head[i].length());
        }
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String[] c = {r.benchmark(), r.figure(), r.value(), r.target(), r.met() == null ? "" : r.met() ? "met" : "MISSED"};
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
            cells.add(c);
        }
        out.println();
        out.println("=== Benchmark figures (measured, not asserted) ===");
        line(out, w, head);
        StringBuilder rule = new StringBuilder();
        for (int width : w) {
            rule.append("-".repeat(width)).append("-+-");
        }
        out.println(rule.substring(0, rule.length() - 3));
        for (String[] c : cells) {
            line(out, w, c);
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("* " + n));
        }
        out.println();
        out.println("Machine: " + machine());
    }

    private static void line(PrintStream out, int[] w, String[] c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            b.append(String.format(Locale.ROOT, "%-" + w[i] + "s", c[i]));
            if (i < c.length - 1) {
                b.append(" | ");
            }
        }
        out.println(b.toString().stripTrailing());
    }

    /** Cores, memory, JVM, heap max and the load average now (a busy machine makes every figure worse). */
    static String machine() {
        Runtime rt = Runtime.getRuntime();
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format(Locale.ROOT, "%d cores, %.1f GiB memory, %s %s (%s), heap max %d MiB, %s %s, load average %.2f",
                rt.availableProcessors(), total / 1073741824.0, System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.arch"), loadAverage());
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
