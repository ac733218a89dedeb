package io.jenkins.plugins.bluegreen.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * TEST CODE: the benchmarks' command line ({@code scripts/bench.sh [all|revert|detection|concurrency|overhead]...
 * [--flag value]...}), parsed by picocli; an unknown flag is an error, so a typo never silently runs the defaults.
 * Durations are in seconds ({@code 30}, {@code 0.5}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, version = "blue-green-deployment benchmarks",
        description = "Benchmarks of the rollout engine on the lab; they print figures and assert nothing.")
final class BenchOptions {

    @Parameters(paramLabel = "BENCHMARK", arity = "0..*",
            description = "all (default), or any of: revert, detection, concurrency, overhead.")
    List<String> which = new ArrayList<>();

    @Option(names = "--rollbacks", defaultValue = "30", description = "(a) rollbacks measured (default: ${DEFAULT-VALUE}).")
    int rollbacks;

    @Option(names = "--warmup", defaultValue = "3", description = "(a) rollbacks before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--router", defaultValue = "istio", description = "(a) istio, gateway or service (default: ${DEFAULT-VALUE}).")
    String router;

    @Option(names = "--detection-errors", split = ",", defaultValue = "1.0",
            description = "(b) one run per error fraction switched on in green (default: ${DEFAULT-VALUE}).")
    List<Double> detectionErrors;

    @Option(names = "--detection-before", defaultValue = "5",
            description = "(b) passing evaluations before the fault (default: ${DEFAULT-VALUE}).")
    int detectionBefore;

    @Option(names = "--sizes", split = ",", defaultValue = "50,200,500",
            description = "(c) concurrent rollouts per run (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--window", defaultValue = "30", description = "(c) analysis window, s (default: ${DEFAULT-VALUE}).")
    double window;

    @Option(names = "--interval", defaultValue = "1", description = "(c) gate interval, s (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--path", defaultValue = "engine",
            description = "(c) engine: RolloutMachine drives the engine; steps: the real blueGreenDeploy executions on jenkins.util.Timer"
                    + " (Central build only) (default: ${DEFAULT-VALUE}).")
    String path;

    /** Null when not given: the steps' path has no such knob, and a flag it would not read is an error. */
    @Option(names = "--threads", description = "(c, engine path) scheduler threads (default: 4).")
    Integer threads;

    @Option(names = "--failing", defaultValue = "10", description = "(c) percent of rollouts that breach (default: ${DEFAULT-VALUE}).")
    int failing;

    @Option(names = "--clients",
            description = "(c, engine path) shared, or per-rollout as the steps built them before they shared clients (default: shared).")
    String clients;

    @Option(names = "--cluster", defaultValue = "process",
            description = "(c) the mock API server in its own process, or in-process (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--readiness", defaultValue = "0.01",
            description = "(c) how long simulated Deployments take to become ready, s (default: ${DEFAULT-VALUE}).")
    double readiness;

    @Option(names = "--overhead-runs", defaultValue = "5", description = "(d) rollouts (default: ${DEFAULT-VALUE}).")
    int overheadRuns;

    @Option(names = "--overhead-window", defaultValue = "2", description = "(d) analysis window, s (default: ${DEFAULT-VALUE}).")
    double overheadWindow;

    @Option(names = "--overhead-bake", defaultValue = "2", description = "(d) bake time, s (default: ${DEFAULT-VALUE}).")
    double overheadBake;

    static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
