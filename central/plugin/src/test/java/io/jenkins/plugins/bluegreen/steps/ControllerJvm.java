package io.jenkins.plugins.bluegreen.steps;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * TEST CODE: a {@link ControllerProcess} running in a JVM of its own, on the test class path. Its stdout is read line
 * by line: {@link #began} completes (with the time it was read) when the step starts or resumes, {@link #ended}
 * with the line that says how it ended. Its build log goes to a file. A JVM still running when the test JVM exits is
 * killed by a shutdown hook, and the child exits by itself once its stdin (held by this JVM) closes.
 */
final class ControllerJvm implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill controller JVMs"));
    }

    final Process process;
    final Path log;
    /** When the JVM was started. */
    final Instant started = Instant.now();
    final CompletableFuture<Instant> began = new CompletableFuture<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();

    private ControllerJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a controller on {@code classPath} (see {@link #jarredClassPath}). {@code jvmOptions} go before the main
     * class (e.g. a class-data archive); {@code args} are {@link ControllerProcess}'s.
     */
    static ControllerJvm start(List<String> jvmOptions, String classPath, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a short-lived JVM: the C1 compiler alone and a small serial heap start it fastest
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djava.io.tmpdir=" + log.getParent(), "-cp", classPath, ControllerProcess.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        RUNNING.add(p);
        ControllerJvm jvm = new ControllerJvm(p, log);
        Thread reader = new Thread(jvm::readLines, "controller " + p.pid() + " stdout");
        reader.setDaemon(true);
        reader.start();
        return jvm;
    }

    /**
     * The test class path (surefire's: the JVM's own may be a manifest-only jar) with each directory packed into a jar
     * in {@code dir}: class-data sharing archives only classes from jars, and an archive of what the first controller
     * loaded saves every later one most of its start-up.
     */
    static String jarredClassPath(Path dir) throws IOException {
        String cp = System.getProperty("surefire.test.class.path");
        List<String> entries = new ArrayList<>();
        for (String entry : (cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path")).split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path jar = dir.resolve("classes-" + entries.size() + ".jar");
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        out.putNextEntry(new JarEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
                entries.add(jar.toString());
            } else if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("STARTING") || line.startsWith("RESUMING")) {
                    began.complete(Instant.now());
                } else if (line.startsWith("RESULT ") || line.startsWith("FAILURE ")) {
                    ended.complete(line);
                }
            }
        } catch (IOException e) {
            // killed: the pipe closed
        } finally {
            began.completeExceptionally(new IllegalStateException("the controller JVM ended before its step began"));
            ended.completeExceptionally(new IllegalStateException("the controller JVM ended without a result"));
        }
    }

    /** Lets a controller that starts a new step start it. */
    void go() throws IOException {
        process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** How long the JVM took from its start to its step's start or resumption. */
    long startUpMillis() {
        return Duration.between(started, began.join()).toMillis();
    }

    /** CPU time the JVM used so far (while it runs: a JVM that exited has none to show). */
    long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux); returns the exit status, 128 + 9 for a kill. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        int status = process.waitFor();
        RUNNING.remove(process);
        return status;
    }

    /** Lets the JVM exit (its step has ended) and waits for it; returns its exit status. */
    int finish(long seconds) throws InterruptedException, IOException {
        process.getOutputStream().close();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the controller JVM did not exit within " + seconds + " s; its log: " + log);
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }
}
