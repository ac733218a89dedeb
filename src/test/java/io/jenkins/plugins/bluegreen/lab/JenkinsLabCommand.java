package io.jenkins.plugins.bluegreen.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * TEST CODE: {@code scripts/lab.sh}. Starts the {@link JenkinsLab}, prints what a Jenkins on this machine needs to
 * use it (addresses, a token, Configuration-as-Code and script-console snippets, a Pipeline, the examples rewritten
 * for the lab), then logs how the colours follow their Deployments until Ctrl-C stops everything.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false, version = "blue-green-deployment lab",
        description = {"The traffic lab for a real Jenkins on this machine: a Kubernetes API server (fabric8's mock with a "
                + "simulated control plane), blue and green app instances with real metrics and real connection pools to "
                + "PostgreSQL, a load following the routers' weights, postgres_exporter and Prometheus, all on 127.0.0.1.",
                "Image tags choose what a version does: 'faulty' answers 8 %% of requests with 500, 'slow' adds 2 s, "
                + "'dbleak' holds connections up to 92 %% of max_connections. Ctrl-C stops everything."})
public final class JenkinsLabCommand implements Callable<Integer> {

    @Option(names = "--api-port", defaultValue = "18080", description = "The API server's port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--prometheus-port", defaultValue = "18090", description = "Prometheus' port (default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--namespace", defaultValue = LabExamples.EXAMPLES_NAMESPACE,
            description = "The services' namespace (default: ${DEFAULT-VALUE}, the examples').")
    String namespace;

    @Option(names = "--token", description = "The token to print (default: a fresh random one; the lab accepts any).")
    String token;

    @Option(names = "--rps", defaultValue = "50", description = "Requests per second to each service (default: ${DEFAULT-VALUE}).")
    int requestsPerSecond;

    @Option(names = "--max-connections", defaultValue = "100",
            description = "PostgreSQL's max_connections (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--pool-size", defaultValue = "4", description = "Each app's connection pool (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--ready-delay", defaultValue = "2s", converter = Demo.DurationConverter.class,
            description = "How long new pods take to become ready (default: ${DEFAULT-VALUE}).")
    Duration readyDelay;

    @Option(names = "--examples", defaultValue = "examples", description = "The repository's examples/ (default: ${DEFAULT-VALUE}).")
    Path examples;

    @Option(names = "--jenkinsfiles", defaultValue = "target/lab",
            description = "Where the examples rewritten for the lab go (default: ${DEFAULT-VALUE}).")
    Path jenkinsfiles;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;

    public JenkinsLabCommand() {
        this(System.out);
    }

    JenkinsLabCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new JenkinsLabCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int port : new int[] {apiPort, prometheusPort}) {
            if (port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(new CommandLine(this), "ports are 1 to 65535, not " + port);
            }
        }
        String labToken = token == null ? LabSnippets.newToken() : token;
        List<Path> written = writeJenkinsfiles();
        Instant began = Instant.now();
        out.println("Starting the lab: PostgreSQL, postgres_exporter, the mock API server with a simulated control plane, "
                + "two services with a blue and a green app each, their load, Prometheus ...");
        JenkinsLab lab = new JenkinsLab(new JenkinsLab.Settings(apiPort, prometheusPort, namespace, maxConnections, poolSize,
                requestsPerSecond, readyDelay, examples), this::log);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        // Ctrl-C, even during the start: everything the lab started is stopped by PID before the JVM exits.
        Thread stopper = new Thread(() -> {
            if (closing.compareAndSet(false, true)) {
                out.println();
                out.println("Stopping the lab ...");
                lab.close();
                out.println("Stopped everything the lab started.");
                stopped.countDown();
            }
        }, "lab-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            lab.start();
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            // the start stopped what it had started
            Runtime.getRuntime().removeShutdownHook(stopper);
            out.println("The lab did not start: " + e.getMessage());
            return 1;
        }
        printUsage(lab, labToken, written, Duration.between(began, Instant.now()));
        stopped.await();
        return 0;
    }

    /** Writes each example's Jenkinsfile rewritten for the lab; they need no running lab, only its names. */
    private List<Path> writeJenkinsfiles() throws IOException {
        Files.createDirectories(jenkinsfiles);
        List<Path> written = new ArrayList<>();
        for (String example : LabExamples.JENKINSFILES) {
            Path file = jenkinsfiles.resolve(example + ".Jenkinsfile");
            Files.writeString(file, LabExamples.jenkinsfileForLab(examples, example, namespace));
            written.add(file);
        }
        return written;
    }

    private void printUsage(JenkinsLab lab, String labToken, List<Path> jenkinsfiles, Duration startup) throws IOException {
        URI api = lab.apiServer();
        URI prometheus = lab.prometheusUrl();
        String ns = lab.namespace();
        section(String.format(Locale.ROOT, "The blue-green lab is up (%.1f s)", startup.toMillis() / 1000.0));
        out.println("   API server   " + api + "   (fabric8's mock with a simulated control plane; any bearer token works)");
        out.println("   namespace    " + ns + ": checkout (Istio VirtualService), recommendation-service (Gateway API "
                + "HTTPRoute); blue " + JenkinsLab.FIRST_VERSION + " of each serves " + requestsPerSecond + " req/s");
        out.println("   token        " + labToken + "   (a secret-text credential '" + LabSnippets.CREDENTIALS_ID + "')");
        out.println("   Prometheus   " + prometheus);
        out.println("   try          curl -H 'Authorization: Bearer " + labToken + "' " + api + "/apis/apps/v1/namespaces/" + ns
                + "/deployments");
        out.println("                curl '" + prometheus + "/api/v1/query?query=sum%20by%20(service,color,code)"
                + "(rate(http_requests_total%5B1m%5D))'");

        section("Jenkins: Configuration as Code (jenkins.yaml; it sets the whole lists, merge them with yours)");
        out.print(indent(LabSnippets.configurationAsCode(api, ns, prometheus, labToken)));
        section("Or Manage Jenkins » Script Console (keeps your other clusters and servers)");
        out.print(indent(LabSnippets.scriptConsole(api, ns, prometheus, labToken)));
        section("A Pipeline to paste into a Pipeline job (examples/lab/Jenkinsfile)");
        out.print(indent(LabExamples.jenkinsfileForLab(examples, "lab", ns)));
        section("Every example, rewritten for the lab: paste one into a Pipeline job (docs/lab.md)");
        for (Path f : jenkinsfiles) {
            out.println("   " + f.toAbsolutePath().normalize());
        }
        section("Image tags choose what a version does: 'faulty' 8 % 5xx, 'slow' +2 s, 'dbleak' connections to 92 %. "
                + "Following the Deployments; Ctrl-C stops everything.");
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    private static String indent(String text) {
        return text.replaceAll("(?m)^(?=.)", "   ");
    }

    private void log(String line) {
        out.println("   " + LocalTime.now().format(TIME) + "  " + line);
    }
}
