package io.jenkins.plugins.bluegreen.helm;

import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a Helm chart for both colours with Helm's own engine (helm-java), as {@code helm template} would with
 * {@code --set <colorValue>=<colour>} and the release {@code <service>-<colour>}. The work happens in a child JVM
 * ({@link HelmRenderMain}) on this machine, in the caller's work folder, with an environment of its own: no
 * variable of the controller's, a home and temporary folder inside the work folder, and a kubeconfig whose server
 * has no usable address, which the child points at an {@link EmptyCluster} of its own. So the render makes no network
 * or cluster call: {@code lookup} answers empty (helm-java's template command would otherwise query the cluster the
 * process's environment names), Helm's DNS
 * functions are off (its default), and a chart whose dependencies are not in its {@code charts/} folder fails
 * instead of being downloaded. Hooks, tests and {@code crds/} are not part of the rendered manifest.
 *
 * <p>No class of helm-java is loaded in this JVM: the child's class path is made of the jars that hold them, found
 * as resources.
 */
public final class HelmRenderer {

    /** The largest manifest a render may produce, per colour. */
    public static final int MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
    static final long DEFAULT_TIMEOUT_SECONDS = 120;
    private static final int MAX_MESSAGE = 1500;
    private static final String NO_CLUSTER = "unsupported://rendering-without-a-cluster";
    /** The child's main class, by name: naming its class would load it, and it refers to helm-java. */
    static final String MAIN = "io.jenkins.plugins.bluegreen.helm.HelmRenderMain";
    private static final Pattern TEMPLATE_AT = Pattern.compile("([\\w.-]+/templates/[^\\s:()]+:\\d+(?::\\d+)?)");

    /**
     * What to render.
     *
     * @param chart a chart folder or a packaged chart (.tgz) on this machine
     * @param chartLabel how the user named the chart (its workspace path), for messages
     * @param valuesFiles values files on this machine, in order (later ones win)
     * @param valuesLabels how the user named each values file, for messages
     * @param set values as {@code --set key=value}, applied after the values files
     * @param colorValue the value that receives the colour ({@code blue}/{@code green}), or null
     * @param namespace the release's namespace
     * @param service the service: the releases are {@code <service>-blue} and {@code <service>-green}
     */
    public record Request(Path chart, String chartLabel, List<Path> valuesFiles, List<String> valuesLabels, Map<String, String> set,
            String colorValue, String namespace, String service) {
        public Request {
            Objects.requireNonNull(chart, "chart");
            valuesFiles = List.copyOf(valuesFiles);
            valuesLabels = List.copyOf(valuesLabels);
            set = new LinkedHashMap<>(set);
        }

        public String release(Color color) {
            return service + "-" + color.label();
        }
    }

    private final long timeoutSeconds;

    public HelmRenderer() {
        this(DEFAULT_TIMEOUT_SECONDS);
    }

    HelmRenderer(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Renders {@code request} for blue and for green.
     *
     * @param work an empty folder of this machine's for the child's files; the caller removes it
     * @throws HelmException naming the chart, the colour and (for a template error) the template and line
     */
    public CandidateSource.PerColor render(Request request, Path work) throws HelmException, IOException, InterruptedException {
        ClassLoader loader = HelmRenderer.class.getClassLoader();
        HelmPlatform platform = HelmPlatform.current(loader);
        for (Path p : paths(request, work)) {
            if (p.toString().contains(",")) { // helm-java joins the values files with ','
                throw new HelmException("Helm cannot read files whose path has a comma, as " + p + " has: set java.io.tmpdir of the "
                        + "controller to a folder without one.");
            }
        }
        Path home = Files.createDirectories(work.resolve("home"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path kubeconfig = work.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: none\n  cluster:\n    server: \"" + NO_CLUSTER
                + "\"\ncontexts:\n- name: none\n  context: {cluster: none}\ncurrent-context: none\n", StandardCharsets.UTF_8);
        Path errorFile = work.resolve("error.txt");
        Path log = work.resolve("child.log");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp,
                "-Djava.awt.headless=true", "-cp", classPath(loader, platform), MAIN, errorFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.clear(); // nothing of the controller's: no KUBECONFIG, no service account variables, no proxies
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
        env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
        env.put("HELM_DATA_HOME", home.resolve("data").toString());
        env.put("LANG", "C.UTF-8");

        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw new HelmException("Could not start a JVM on the controller to render the chart '" + request.chartLabel() + "': "
                    + e.getMessage());
        }
        try {
            try (OutputStream stdin = child.getOutputStream(); DataOutputStream out = new DataOutputStream(stdin)) {
                writeRequest(out, request, platform, work);
            } catch (IOException e) {
                // the child died early; what it said is in its log
            }
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new HelmException("Helm did not render the chart '" + request.chartLabel() + "' within " + timeoutSeconds + " s.");
            }
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        int exit = child.exitValue();
        if (exit == HelmRenderMain.RENDER_ERROR && Files.isRegularFile(errorFile)) {
            String text = Files.readString(errorFile, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            Color color = Color.fromLabel(nl < 0 ? text : text.substring(0, nl));
            String label = color == null ? "?" : color.label();
            throw new HelmException("Helm could not render the chart '" + request.chartLabel() + "' for " + label + " (release "
                    + request.service() + "-" + label + "): " + explain(nl < 0 ? "" : text.substring(nl + 1), request, work));
        }
        if (exit != 0) {
            String said = Files.isRegularFile(log) ? tail(Files.readString(log, StandardCharsets.UTF_8)) : "";
            throw new HelmException("The JVM rendering the chart '" + request.chartLabel() + "' ended with exit code " + exit
                    + (said.isEmpty() ? "." : ": " + explain(said, request, work)));
        }
        return new CandidateSource.PerColor(read(work, Color.BLUE, request), read(work, Color.GREEN, request));
    }

    private static List<Path> paths(Request request, Path work) {
        List<Path> paths = new ArrayList<>(request.valuesFiles());
        paths.add(request.chart());
        paths.add(work);
        return paths;
    }

    private static void writeRequest(DataOutputStream out, Request request, HelmPlatform platform, Path work) throws IOException {
        out.writeInt(HelmRenderMain.PROTOCOL);
        out.writeUTF(platform.libraryClass());
        out.writeUTF(request.chart().toAbsolutePath().toString());
        out.writeUTF(request.namespace());
        out.writeInt(2);
        for (Color c : Color.values()) {
            out.writeUTF(request.release(c));
            out.writeUTF(c.label());
            out.writeUTF(output(work, c).toString());
        }
        out.writeBoolean(request.colorValue() != null);
        if (request.colorValue() != null) {
            out.writeUTF(request.colorValue());
        }
        out.writeInt(request.valuesFiles().size());
        for (Path v : request.valuesFiles()) {
            out.writeUTF(v.toAbsolutePath().toString());
        }
        out.writeInt(request.set().size());
        for (Map.Entry<String, String> e : request.set().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Path output(Path work, Color color) {
        return work.resolve(color.label() + ".yaml");
    }

    private static String read(Path work, Color color, Request request) throws HelmException, IOException {
        Path file = output(work, color);
        if (!Files.isRegularFile(file)) {
            throw new HelmException("Helm rendered nothing for " + color + " from the chart '" + request.chartLabel() + "'.");
        }
        if (Files.size(file) > MAX_MANIFEST_BYTES) {
            throw new HelmException("The chart '" + request.chartLabel() + "' rendered more than " + MAX_MANIFEST_BYTES
                    + " bytes for " + color + ".");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new HelmException("The chart '" + request.chartLabel() + "' rendered no object for " + color + ".");
        }
        return text;
    }

    /**
     * Helm's message made readable where the plugin knows better, on one line: the work folder's paths replaced by
     * the user's, the values given with {@code set} masked, the advice meant for the helm command left out.
     */
    static String explain(String helm, Request request, Path work) {
        String m = helm.replace("\n\nUse --debug flag to render out invalid YAML", "").strip();
        for (int i = 0; i < request.valuesFiles().size(); i++) {
            m = m.replace(request.valuesFiles().get(i).toAbsolutePath().toString(), request.valuesLabels().get(i));
        }
        m = m.replace(request.chart().toAbsolutePath().toString(), request.chartLabel()).replace(work.toString(), "<work folder>");
        m = mask(m, request.set());
        Matcher at = TEMPLATE_AT.matcher(m);
        String where = at.find() ? " (" + at.group(1) + ")" : "";
        if (m.contains("error calling lookup")) {
            return "the chart calls lookup" + where + ", which reads objects from the cluster: charts are rendered without "
                    + "one, so lookup is not supported.";
        }
        if (m.contains("found in Chart.yaml, but missing in charts/ directory")) {
            Matcher missing = Pattern.compile("missing in charts/ directory: ([^\\n]+)").matcher(m);
            return "its dependencies are not in its charts/ folder" + (missing.find() ? " (" + missing.group(1).strip() + ")" : "")
                    + ": run 'helm dependency build' before the step and keep charts/ in the workspace; nothing is downloaded.";
        }
        m = m.replaceAll("\\s*\\n\\s*", " ");
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "...";
    }

    /** Every value given with {@code set} (from 3 characters on) replaced by {@code ****}, longest first. */
    static String mask(String text, Map<String, String> set) {
        List<String> values = new ArrayList<>();
        for (String v : set.values()) {
            if (v != null && v.length() >= 3) {
                values.add(v);
            }
        }
        values.sort((a, b) -> b.length() - a.length());
        String m = text;
        for (String v : values) {
            m = m.replace(v, "****");
        }
        return m;
    }

    private static String tail(String log) {
        String t = log.strip();
        return t.length() <= MAX_MESSAGE ? t : t.substring(t.length() - MAX_MESSAGE);
    }

    /**
     * The child's class path: this plugin's classes, helm-java, its JNI API, the platform's engine and JNA (Jenkins
     * core's), each found as the jar (or folder) that holds a resource of it, without loading any of their classes.
     */
    static String classPath(ClassLoader loader, HelmPlatform platform) throws HelmException {
        List<String> entries = new ArrayList<>();
        for (String resource : List.of(MAIN.replace('.', '/') + ".class",
                "com/marcnuri/helm/TemplateCommand.class", "com/marcnuri/helm/jni/HelmLib.class", platform.binary(),
                "com/sun/jna/Native.class")) {
            String entry = classPathEntry(loader.getResource(resource), resource);
            if (entry == null) {
                throw new HelmException("Cannot find the jar that holds " + resource + " on the controller: the Helm renderer "
                        + "needs it as a local file.");
            }
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The local jar or folder a resource URL comes from, or null when it is not a local file. */
    static String classPathEntry(URL url, String resource) {
        if (url == null) {
            return null;
        }
        String s = url.toString();
        try {
            if (s.startsWith("jar:file:") && s.endsWith("!/" + resource)) {
                return Path.of(new java.net.URI(s.substring("jar:".length(), s.length() - resource.length() - 2))).toString();
            }
            if (s.startsWith("file:") && s.endsWith("/" + resource)) {
                return Path.of(new java.net.URI(s.substring(0, s.length() - resource.length()))).toString();
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
