package io.jenkins.plugins.bluegreen.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * TEST CODE: what every server process of the tests needs: waiting until it is ready, stopping by PID, its log's
 * tail, deleting its files, a plain sleep.
 */
public final class Processes {

    private Processes() {}

    /** SIGTERM, then SIGKILL after {@code grace}; waits for the end. Idempotent. */
    public static void stop(Process process, Duration grace) {
        ProcessHandle handle = process.toHandle();
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                handle.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last 2000 characters of a log, for failure messages. */
    public static String logTail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The line Prometheus and Alertmanager (Go's exporter-toolkit) log once they listen: its port is the one they chose. */
    private static final Pattern LISTENING = Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");

    /**
     * Waits for a Prometheus-family server started with {@code --web.listen-address=127.0.0.1:0}: for the port it logs,
     * then for {@code /-/ready} to answer 200. Fails with the log's tail when the process exits or {@code timeout} passes.
     *
     * @param name the server, for messages
     * @return its base URL, e.g. {@code http://127.0.0.1:41234}
     */
    public static URI awaitReady(Process process, Path log, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI url = null;
        while (url == null) {
            checkAlive(process, log, name);
            Matcher m = LISTENING.matcher(readLog(log));
            if (m.find()) {
                url = URI.create("http://127.0.0.1:" + m.group(1));
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not log its address within " + timeout.toSeconds() + " s: "
                        + logTail(log));
            } else {
                sleep(20);
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            checkAlive(process, log, name);
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return url;
                }
                lastProblem = "HTTP " + r.statusCode();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(20);
        }
        throw new IllegalStateException(name + " at " + url + " was not ready within " + timeout.toSeconds() + " s ("
                + lastProblem + "): " + logTail(log));
    }

    private static void checkAlive(Process process, Path log, String name) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + logTail(log));
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes a directory and everything in it; nothing when it is gone already. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
