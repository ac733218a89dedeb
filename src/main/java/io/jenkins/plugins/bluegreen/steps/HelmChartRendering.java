package io.jenkins.plugins.bluegreen.steps;

import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.helm.HelmException;
import io.jenkins.plugins.bluegreen.helm.HelmRenderer;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders a {@link HelmChart} for both colours on the controller. The chart and the values files are copied from the
 * workspace (which may be on an agent) into a temporary folder of the controller, which is removed afterwards; every
 * path must lead to a file inside the workspace, symbolic links included, and the copied chart may hold regular files
 * and folders only, so nothing outside the workspace reaches Helm. {@link HelmRenderer} then renders in a child JVM.
 */
final class HelmChartRendering {

    /** The most files and bytes a chart folder (or packaged chart) may have; a values file's limit is a manifest's. */
    static final int MAX_CHART_FILES = 1000;
    static final long MAX_CHART_BYTES = 20L * 1024 * 1024;
    static final int MAX_VALUES_BYTES = BlueGreenDeployStep.MAX_MANIFEST_BYTES;
    private static final Pattern OBJECT = Pattern.compile("(?m)^kind:");
    private static final Logger LOGGER = Logger.getLogger(HelmChartRendering.class.getName());

    private HelmChartRendering() {}

    /**
     * @param workspace the build's workspace, or null outside a node
     * @param log receives one line about what was rendered
     * @throws AbortException saying what is wrong, before anything in the cluster changed
     */
    static CandidateSource.PerColor render(HelmChart chart, FilePath workspace, RolloutTarget target, Consumer<String> log)
            throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException(Messages.HelmChart_NoWorkspace(chart.getChart()));
        }
        Path work = Files.createTempDirectory("bluegreen-helm-");
        try {
            Path localChart = copyChart(chart.getChart(), workspace, work);
            List<Path> values = new ArrayList<>();
            List<String> given = chart.getValues();
            List<String> labels = given == null ? List.of() : given;
            Path valuesDir = Files.createDirectories(work.resolve("values"));
            for (int i = 0; i < labels.size(); i++) {
                values.add(copyValues(labels.get(i), workspace, valuesDir.resolve(i + ".yaml")));
            }
            Map<String, String> givenSet = chart.getSet();
            Map<String, String> set = givenSet == null ? Map.of() : givenSet;
            HelmRenderer.Request request = new HelmRenderer.Request(localChart, chart.getChart(), values, labels, set,
                    chart.getColorValue(), target.namespace(), target.service());
            CandidateSource.PerColor rendered;
            try {
                rendered = new HelmRenderer().render(request, Files.createDirectories(work.resolve("render")));
            } catch (HelmException e) {
                throw new AbortException(e.getMessage());
            }
            log.accept(Messages.HelmChart_Rendered(chart.getChart(), target.service() + "-blue", target.service() + "-green",
                    target.namespace(), OBJECT.matcher(rendered.blue()).results().count(),
                    labels.isEmpty() ? "none" : String.join(", ", labels), set.isEmpty() ? "none" : String.join(", ", set.keySet()),
                    Objects.requireNonNullElse(chart.getColorValue(), "none")));
            return rendered;
        } finally {
            try {
                deleteTree(work);
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Could not remove the Helm work folder " + work, e);
            }
        }
    }

    /** Finds {@code path} in the workspace, inside it. */
    private static FilePath inWorkspace(String path, FilePath workspace, String missing) throws IOException, InterruptedException {
        FilePath file = workspace.child(path);
        if (!file.exists()) {
            throw new AbortException(missing);
        }
        if (!workspace.isDescendant(path)) {
            throw new AbortException(Messages.HelmChart_OutsideWorkspace(path));
        }
        return file;
    }

    private static Path copyChart(String path, FilePath workspace, Path work) throws IOException, InterruptedException {
        FilePath source = inWorkspace(path, workspace, Messages.HelmChart_ChartMissing(path));
        if (source.isDirectory()) {
            if (!source.child("Chart.yaml").exists()) {
                throw new AbortException(Messages.HelmChart_NotAChart(path));
            }
            FilePath[] files = source.list("**");
            long bytes = 0;
            for (FilePath f : files) {
                bytes += f.length();
            }
            if (files.length > MAX_CHART_FILES || bytes > MAX_CHART_BYTES) {
                throw new AbortException(Messages.HelmChart_ChartTooLarge(path, MAX_CHART_FILES, MAX_CHART_BYTES / (1024 * 1024)));
            }
            Path local = Files.createDirectories(work.resolve("chart"));
            source.copyRecursiveTo(new FilePath(local.toFile()));
            checkCopiedChart(path, local);
            return local;
        }
        String name = path.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".tgz") && !name.endsWith(".tar.gz")) {
            throw new AbortException(Messages.HelmChart_NotAChart(path));
        }
        if (source.length() > MAX_CHART_BYTES) {
            throw new AbortException(Messages.HelmChart_ChartTooLarge(path, MAX_CHART_FILES, MAX_CHART_BYTES / (1024 * 1024)));
        }
        Path local = work.resolve("chart.tgz");
        source.copyTo(new FilePath(local.toFile()));
        return local;
    }

    /** What was copied holds regular files and folders only, within the limits: no link Helm could follow. */
    private static void checkCopiedChart(String path, Path local) throws IOException {
        List<String> problems = new ArrayList<>();
        long[] totals = new long[2];
        Files.walkFileTree(local, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    problems.add(local.relativize(file).toString());
                }
                totals[0]++;
                totals[1] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        if (!problems.isEmpty()) {
            throw new AbortException(Messages.HelmChart_ChartHasLinks(path, problems.get(0)));
        }
        if (totals[0] > MAX_CHART_FILES || totals[1] > MAX_CHART_BYTES) {
            throw new AbortException(Messages.HelmChart_ChartTooLarge(path, MAX_CHART_FILES, MAX_CHART_BYTES / (1024 * 1024)));
        }
    }

    private static Path copyValues(String path, FilePath workspace, Path local) throws IOException, InterruptedException {
        FilePath source = inWorkspace(path, workspace, Messages.HelmChart_ValuesMissing(path));
        if (source.isDirectory()) {
            throw new AbortException(Messages.HelmChart_ValuesMissing(path));
        }
        if (source.length() > MAX_VALUES_BYTES) {
            throw new AbortException(Messages.HelmChart_ValuesTooLarge(path, MAX_VALUES_BYTES));
        }
        source.copyTo(new FilePath(local.toFile()));
        if (Files.size(local) > MAX_VALUES_BYTES) {
            throw new AbortException(Messages.HelmChart_ValuesTooLarge(path, MAX_VALUES_BYTES));
        }
        return local;
    }

    /** Removes the work folder without following links. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
