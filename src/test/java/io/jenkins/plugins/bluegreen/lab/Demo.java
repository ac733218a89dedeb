package io.jenkins.plugins.bluegreen.lab;

import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.PreFlightCheck;
import io.jenkins.plugins.bluegreen.engine.Rollback;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.Verdict;
import io.jenkins.plugins.bluegreen.engine.Verification;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.metrics.DatabasePreflight;
import io.jenkins.plugins.bluegreen.metrics.Gate;
import io.jenkins.plugins.bluegreen.metrics.GateAnalysis;
import io.jenkins.plugins.bluegreen.metrics.GatePreflight;
import io.jenkins.plugins.bluegreen.metrics.PrometheusAnalysis;
import io.jenkins.plugins.bluegreen.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * TEST CODE: the demo, the README's first command ({@code scripts/demo.sh}). It starts the traffic lab (mock API
 * server with the simulated control plane, real app instances, real PostgreSQL, postgres_exporter and Prometheus)
 * and drives the engine the Pipeline steps use through rollouts: a healthy version that goes 5 → 50 → 100 %, passes
 * its gates and is promoted, then a faulty one whose error rate breaches its gate and is rolled back by itself; on
 * request, the second guide's database scenario. Each rollout's report is written as one HTML file.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, version = "blue-green-deployment demo",
        description = "Blue-green rollouts on the embedded traffic lab, driven by the plugin's engine.")
public final class Demo implements Callable<Integer> {

    enum Scenario { healthy, faulty, database }

    @Option(names = "--scenarios", split = ",", defaultValue = "healthy,faulty",
            description = "Which rollouts, in order: healthy, faulty, database (default: ${DEFAULT-VALUE}).")
    List<Scenario> scenarios;

    @Option(names = "--window", defaultValue = "6s", converter = DurationConverter.class,
            description = "Analysis window after each traffic step (default: ${DEFAULT-VALUE}; the guides use minutes).")
    Duration window;

    @Option(names = "--bake", defaultValue = "3s", converter = DurationConverter.class,
            description = "Bake time between promotion and decommission (default: ${DEFAULT-VALUE}; the first guide: 1h).")
    Duration bake;

    @Option(names = "--sustain", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long an error-rate or latency breach must last (default: ${DEFAULT-VALUE}; the guides: 60s/2m).")
    Duration sustain;

    @Option(names = "--rate-window", defaultValue = "10s", converter = DurationConverter.class,
            description = "The gates' rate() window (default: ${DEFAULT-VALUE}; the templates: 1m).")
    Duration rateWindow;

    @Option(names = "--error-rate", defaultValue = "0.08",
            description = "The faulty version's share of 5xx answers (default: ${DEFAULT-VALUE}).")
    double faultyErrorRate;

    @Option(names = "--reports", defaultValue = "target/demo-reports", description = "Where the HTML reports go.")
    Path reports;

    private static final String OWNER = "demo";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Clock CLOCK = Clock.systemUTC();

    private final DemoConsole console;
    private final List<String[]> summary = new ArrayList<>();
    private TrafficLab lab;

    public Demo() {
        this(System.out, System.console() != null);
    }

    Demo(java.io.PrintStream out, boolean terminal) {
        this.console = new DemoConsole(out, terminal);
    }

    /** One row per rollout: name, outcome, traffic reached, time to revert, report. */
    List<String[]> summary() {
        return summary;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Demo()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(reports);
        Path work = Files.createTempDirectory("bluegreen-demo-");
        AtomicBoolean closed = new AtomicBoolean();
        Thread stopper = new Thread(() -> stopLab(closed, true), "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        Instant began = Instant.now();
        try {
            console.section("Starting the traffic lab: PostgreSQL, postgres_exporter, Prometheus (1 s scrapes), two app "
                    + "instances, a 100 req/s load and a Kubernetes API with a simulated control plane");
            lab = TrafficLab.start(work, TrafficLab.Options.defaults().withLoadDuration(Duration.ofHours(2)));
            console.info("ready after " + seconds(Duration.between(began, Instant.now())));
            int n = 0;
            for (Scenario s : scenarios) {
                n++;
                switch (s) {
                    case healthy -> healthy(n);
                    case faulty -> faulty(n);
                    default -> database(n);
                }
            }
            printSummary(Duration.between(began, Instant.now()));
            return 0;
        } finally {
            stopLab(closed, false);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private void stopLab(AtomicBoolean closed, boolean interrupted) {
        if (lab != null && closed.compareAndSet(false, true)) {
            if (interrupted) {
                console.println("\nInterrupted: stopping the lab ...");
            }
            lab.close();
            console.println(interrupted ? "Stopped everything the demo started." : "\nStopped everything the demo started.");
        }
    }

    // ---- scenarios -------------------------------------------------------------------------------------------

    private void healthy(int n) throws Exception {
        console.section(n + ". A healthy version: checkout 2.0.0 goes 5 -> 50 -> 100 %, passes its gates, is promoted");
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = k8s.engine(console::event);
        goLive(engine, k8s);
        deploy(engine, k8s, "2.0.0", 4);
        for (int percent : new int[] {5, 50, 100}) {
            Verification v = shiftAndWatch(engine, k8s, percent);
            if (v.verdict() != Verdict.PASS) {
                finish("healthy", k8s, engine, percent);
                return;
            }
        }
        engine.promote(k8s.target, OWNER);
        wait("bake time", bake);
        engine.decommission(k8s.target, bake, OWNER);
        finish("healthy", k8s, engine, 100);
    }

    private void faulty(int n) throws Exception {
        console.section(n + ". A faulty version: checkout 2.1.0 answers " + Math.round(faultyErrorRate * 100)
                + " % of requests with 503; the error-rate gate rolls it back by itself");
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = k8s.engine(console::event);
        goLive(engine, k8s);
        lab.app(Color.GREEN).setErrorRate(faultyErrorRate);
        deploy(engine, k8s, "2.1.0", 4);
        int reached = 0;
        for (int percent : new int[] {5, 50, 100}) {
            reached = percent;
            if (shiftAndWatch(engine, k8s, percent).verdict() != Verdict.PASS) {
                break;
            }
        }
        finish("faulty", k8s, engine, reached);
    }

    private void database(int n) throws Exception {
        console.section(n + ". The second guide's database incident: connection pools that cannot both fit, then a "
                + "candidate exhausting max_connections");
        EngineLab k8s = lab.newRollout();
        RolloutEngine engine = k8s.engine(console::event);
        goLive(engine, k8s);
        try {
            deploy(engine, k8s, "2.2.0", 20);
            console.info(console.red("expected the pre-flight to refuse pools of 20 per pod"));
        } catch (RolloutException e) {
            console.info(console.bold("pre-flight refused, nothing changed: ") + e.getMessage());
        }
        console.info("again with pools of 4 per pod, which fit; then green leaks connections up to 92 % of max_connections");
        deploy(engine, k8s, "2.2.1", 4);
        shiftAndWatch(engine, k8s, 50, () -> lab.holdConnectionsUntil(Color.GREEN, 0.92));
        finish("database", k8s, engine, 50);
    }

    // ---- steps -----------------------------------------------------------------------------------------------

    /** The first rollout of the service: blue 1.0.0 goes live with all traffic. */
    private void goLive(RolloutEngine engine, EngineLab k8s) {
        console.resetGates();
        engine.deploy(k8s.manifest("1.0.0"));
        awaitLoad(k8s, Weights.all(Color.BLUE));
        lab.awaitTraffic(Color.BLUE, Duration.ofSeconds(15)); // the gate pre-flight measures the serving colour
    }

    private void deploy(RolloutEngine engine, EngineLab k8s, String version, int poolSizePerPod) {
        List<PreFlightCheck> checks = new ArrayList<>();
        checks.add(new GatePreflight(lab.prometheus(), c -> gates(k8s, c), CLOCK));
        checks.add(new DatabasePreflight(lab.prometheus(), Map.of(), poolSizePerPod, 10, CLOCK));
        engine.deploy(new DeploySpec(k8s.target, new CandidateSource.NewImage("registry.example.com/shop/checkout:" + version,
                null), k8s.router, null, Duration.ofSeconds(30), OWNER, checks));
    }

    private Verification shiftAndWatch(RolloutEngine engine, EngineLab k8s, int percent) throws Exception {
        return shiftAndWatch(engine, k8s, percent, null);
    }

    interface Fault {
        void inject() throws Exception;
    }

    /** Shifts, lets the load follow, and watches the gates for the window (a failing gate rolls back at once). */
    private Verification shiftAndWatch(RolloutEngine engine, EngineLab k8s, int percent, Fault fault) throws Exception {
        engine.shift(k8s.target, percent, OWNER);
        awaitLoad(k8s, Weights.of(Color.GREEN, percent));
        lab.awaitTraffic(Color.GREEN, Duration.ofSeconds(15));
        if (fault != null) {
            fault.inject();
        }
        PrometheusAnalysis analysis = new PrometheusAnalysis(lab.prometheus(), new GateAnalysis(gates(k8s, Color.GREEN)));
        Instant start = CLOCK.instant();
        Instant end = start.plus(window);
        while (true) {
            RolloutEngine.VerificationTick tick = engine.verifyTick(k8s.target, analysis, window, end, OWNER, true);
            console.progress("gates at " + percent + " %", start, window, CLOCK.instant());
            if (tick.finished() != null) {
                Verification v = tick.finished();
                console.info(v.verdict() == Verdict.PASS ? console.green(v.message()) : console.red(v.message()));
                return v;
            }
            Instant next = analysis.nextDueAt(CLOCK.instant()).orElse(end);
            next = next.isAfter(end) ? end : next;
            while (CLOCK.instant().isBefore(next)) {
                Thread.sleep(Math.min(250, Math.max(1, Duration.between(CLOCK.instant(), next).toMillis())));
                console.progress("gates at " + percent + " %", start, window, CLOCK.instant());
            }
        }
    }

    private void wait(String what, Duration length) throws InterruptedException {
        Instant start = CLOCK.instant();
        Instant end = start.plus(length);
        while (CLOCK.instant().isBefore(end)) {
            Thread.sleep(Math.min(250, Math.max(1, Duration.between(CLOCK.instant(), end).toMillis())));
            console.progress(what, start, length, CLOCK.instant());
        }
    }

    private void awaitLoad(EngineLab k8s, Weights weights) {
        try {
            if (!lab.load().awaitWeights(weights, Duration.ofSeconds(5))) {
                console.info("the load generator has not picked up " + weights + " yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Gate> gates(EngineLab k8s, Color color) {
        return TrafficLab.gates(k8s.target, color, rateWindow, sustain, INTERVAL);
    }

    // ---- outcome ---------------------------------------------------------------------------------------------

    private void finish(String name, EngineLab k8s, RolloutEngine engine, int reached) throws IOException {
        RolloutRecord r = engine.status(k8s.target).orElseThrow();
        Path file = reports.resolve(name + ".html").toAbsolutePath();
        HtmlReport.write(r, file);
        Rollback rb = r.getRollback();
        String revert = "-";
        if (rb != null && rb.recoveryMillis() != null) {
            long engineMs = Duration.between(Instant.parse(rb.startedAt()), Instant.parse(rb.completedAt())).toMillis();
            revert = seconds(Duration.ofMillis(rb.recoveryMillis())) + " from the first bad sample (engine: " + engineMs + " ms)";
            console.info(console.bold("time to revert: ") + revert);
        }
        console.info("report: " + file.toUri());
        summary.add(new String[] {name, r.getPhase().name(), reached + " %", revert, file.toUri().toString()});
    }

    private void printSummary(Duration total) {
        console.section("Summary (" + seconds(total) + ")");
        String format = "   %-9s %-12s %-8s %-45s %s";
        console.println(String.format(Locale.ROOT, format, "rollout", "outcome", "reached", "time to revert", "report"));
        for (String[] row : summary) {
            console.println(String.format(Locale.ROOT, format, (Object[]) row));
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Durations as the steps take them: {@code 6s}, {@code 2m}, {@code 1h30m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return io.jenkins.plugins.bluegreen.steps.DurationArgument.parse("duration", value);
        }
    }
}
