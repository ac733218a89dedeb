package io.jenkins.plugins.bluegreen.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * <b>TEST CODE.</b> The cluster of the concurrency benchmark: the fabric8 mock API server with a {@link ReadyControlPlane},
 * by default in a JVM of its own, so that the engine's JVM holds only the engine and its clients and the server's
 * threads, heap and CPU are counted apart ({@link #cpu}, {@link #threads}). {@link #inProcess} keeps it in this JVM
 * (fast to start, for the smoke test).
 */
public final class SimulatedCluster implements AutoCloseable {

    private final String url;
    private final Process process;
    private final Path log;
    private final BufferedReader out;
    private final AutoCloseable inProcess;
    private RequestTally tally;

    private SimulatedCluster(String url, Process process, Path log, BufferedReader out, AutoCloseable inProcess) {
        this.url = url;
        this.process = process;
        this.log = log;
        this.out = out;
        this.inProcess = inProcess;
    }

    /**
     * The child JVM (argument: the readiness delay in ms): prints {@code READY <url>}, answers each line {@code count} on
     * its standard input with {@code COUNT <requests with credentials>}, serves until its standard input closes.
     */
    public static void main(String[] args) throws Exception {
        Duration readiness = Duration.ofMillis(Long.parseLong(args[0]));
        try (MockCluster mock = MockCluster.start(); RequestTally tally = new RequestTally(mock.server);
                ReadyControlPlane plane = new ReadyControlPlane(mock.client, readiness)) {
            System.out.println("READY " + mock.client.getMasterUrl());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) { // the parent holds our standard input open while it needs us
                if (line.equals("count")) {
                    System.out.println("COUNT " + tally.authorized());
                    System.out.flush();
                } else if (line.equals("kinds")) {
                    System.out.println("KINDS " + tally.kinds());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }

    /** @param readiness how long after a change a Deployment becomes ready */
    static SimulatedCluster inProcess(Duration readiness) {
        MockCluster mock = MockCluster.start();
        RequestTally tally = new RequestTally(mock.server);
        ReadyControlPlane plane = new ReadyControlPlane(mock.client, readiness);
        SimulatedCluster c = new SimulatedCluster(mock.client.getMasterUrl().toString(), null, null, null, () -> {
            plane.close();
            tally.close();
            mock.close();
        });
        c.tally = tally;
        return c;
    }

    static SimulatedCluster forked(Duration readiness) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("bg-bench-cluster-", ".log");
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", classpath(), SimulatedCluster.class.getName(),
                String.valueOf(readiness.toMillis()))
                .redirectError(log.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line.substring(6).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String url;
        try {
            url = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            url = null;
        }
        if (url == null) {
            p.destroyForcibly();
            String why = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            throw new IllegalStateException("the simulated cluster did not start: " + why);
        }
        return new SimulatedCluster(url, p, log, out, null);
    }

    /** The test classpath: exec:java runs us in a class loader of its own, surefire on the application class path. */
    private static String classpath() {
        List<String> parts = new ArrayList<>();
        for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader) {
                for (URL u : ((URLClassLoader) cl).getURLs()) {
                    try {
                        parts.add(Path.of(u.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: not for a class path
                    }
                }
            }
        }
        if (parts.isEmpty()) {
            parts.add(System.getProperty("java.class.path"));
        }
        return String.join(File.pathSeparator, parts);
    }

    String url() {
        return url;
    }

    /** A new fabric8 client of the API server (on OkHttp with a thread pool of its own, as every client built the default way). */
    KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
                .withRequestTimeout(10_000).withConnectionTimeout(10_000).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** How many requests with credentials (the plugin's, never the control plane's) the API server has answered. */
    synchronized long authorizedRequests() throws IOException {
        if (tally != null) {
            return tally.authorized();
        }
        process.getOutputStream().write("count\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("COUNT ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IOException("the simulated cluster ended");
    }

    /** The requests with credentials so far, by method and resource ({@link RequestTally#kinds}). */
    synchronized java.util.Map<String, Long> requestKinds() throws IOException {
        String text;
        if (tally != null) {
            text = tally.kinds();
        } else {
            process.getOutputStream().write("kinds\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            String line;
            text = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("KINDS")) {
                    text = line.substring(5).trim();
                    break;
                }
            }
            if (text == null) {
                throw new IOException("the simulated cluster ended");
            }
        }
        java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
        for (String part : text.split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq > 0) {
                kinds.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            }
        }
        return kinds;
    }

    /** CPU time of the cluster's own JVM so far; empty when it runs in this one. */
    Optional<Duration> cpu() {
        return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
    }

    /** Live threads of the cluster's JVM; -1 when it runs in this one. */
    int threads() {
        return process == null ? -1 : threadsOf(process.pid());
    }

    /** Threads of a process on Linux ({@code /proc/PID/status}); -1 elsewhere. */
    static int threadsOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        if (inProcess != null) {
            inProcess.close();
        }
        if (process != null) {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
