package io.jenkins.plugins.bluegreen.metrics;

import io.jenkins.plugins.bluegreen.testinfra.PrometheusProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TEST CODE: a real Prometheus on {@link GateTestData}'s backfilled series, one per test class:
 * {@code @RegisterExtension static final BackfilledPrometheus PROMETHEUS = new BackfilledPrometheus();}.
 */
public final class BackfilledPrometheus implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private PrometheusProcess process;
    private PrometheusClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("bg-backfilled-");
        process = GateTestData.startPrometheus(dir);
        client = GateTestData.client(process);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    public URI url() {
        return process.url();
    }

    /** A client without credentials. */
    public PrometheusClient client() {
        return client;
    }
}
