package io.jenkins.plugins.bluegreen.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * TEST CODE: runs the benchmarks ({@code all}, or any of {@code revert detection concurrency overhead}) and prints
 * one table of figures and the machine. A separate command ({@code scripts/bench.sh}, docs/benchmarks.md), never
 * part of the test suite: timings on a shared machine are reported, not asserted.
 */
public final class Benchmarks {

    /** One measurement, its flags already read. */
    @FunctionalInterface
    interface Benchmark {
        void run(Report report) throws Exception;
    }

    private static final Map<String, Function<BenchOptions, Benchmark>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("revert", RevertLatency::from);
        ALL.put("detection", DetectionTime::from);
        ALL.put("concurrency", Concurrency::from);
        ALL.put("overhead", Overhead::from);
    }

    private Benchmarks() {
    }

    public static void main(String[] argv) throws Exception {
        // The traffic lab's JDK HTTP servers answer without the 40 ms delayed-ACK stall (read once, at first use).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        BenchOptions options = new BenchOptions();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(argv);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            cli.usage(System.err);
            System.exit(2);
        }
        if (cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
            if (cli.isUsageHelpRequested()) {
                cli.usage(System.out);
            } else {
                cli.printVersionHelp(System.out);
            }
            System.exit(0);
        }
        List<String> which = options.which.isEmpty() || options.which.contains("all") ? List.copyOf(ALL.keySet()) : options.which;
        Map<String, Benchmark> selected = new LinkedHashMap<>();
        for (String name : which) {
            Function<BenchOptions, Benchmark> b = ALL.get(name);
            if (b == null) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "': use all or " + String.join(", ", ALL.keySet()));
            }
            selected.put(name, b.apply(options));
        }

        Report report = new Report();
        report.note("machine at start", Report.machine());
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Benchmark> e : selected.entrySet()) {
            double loadBefore = Report.loadAverage();
            long started = System.nanoTime();
            try {
                e.getValue().run(report);
            } catch (Exception | Error x) {
                failed.add(e.getKey());
                report.note(e.getKey(), "did not finish: " + x);
                x.printStackTrace();
            }
            report.note(e.getKey(), String.format(java.util.Locale.ROOT, "took %.0f s; load average %.2f before, %.2f after",
                    (System.nanoTime() - started) / 1e9, loadBefore, Report.loadAverage()));
        }
        report.print(System.out);
        System.out.flush();
        // exec:java runs this inside Maven: end the JVM here rather than wait for clients' non-daemon threads
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
