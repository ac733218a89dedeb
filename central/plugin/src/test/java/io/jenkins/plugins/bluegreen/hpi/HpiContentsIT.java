package io.jenkins.plugins.bluegreen.hpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.config.AlertmanagerServer;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.persistence.ClassFilterRule;
import io.jenkins.plugins.bluegreen.persistence.JenkinsXStream;
import io.jenkins.plugins.bluegreen.persistence.PluginJarLoader;
import io.jenkins.plugins.bluegreen.persistence.SavedObjects;
import io.jenkins.plugins.bluegreen.persistence.SavedTypes;
import io.jenkins.plugins.bluegreen.steps.ChatNotification;
import io.jenkins.plugins.bluegreen.steps.RolloutAction;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Opens the .hpi the Central build packaged and checks it is what a real Jenkins loads: the manifest as
 * maven-hpi-plugin writes it, the classes jar in WEB-INF/lib with the same manifest, its Jelly views, help files,
 * Messages and annotation indexes, classes that Jenkins' class filter lets XStream save, the libraries it bundles
 * beside the plugin jar, and nothing that must not be there (our compile-only declarations, or libraries that Jenkins
 * or its plugins provide).
 */
class HpiContentsIT {

    private static final Path HPI = Path.of(System.getProperty("hpi.file", "../target/blue-green-deployment.hpi"));
    private static final Path SOURCES = Path.of(System.getProperty("plugin.sources", "../../src"));
    private static final Path ROOT_POM = SOURCES.resolve("../pom.xml");
    private static final Path CENTRAL_POM = Path.of(System.getProperty("central.pom", "pom.xml"));
    /** What maven-dependency-plugin's list goal resolved: the compile and runtime dependencies, and the provided ones. */
    private static final Path RUNTIME_LIST = Path.of(System.getProperty("hpi.lib.runtime", "../target/hpi-lib-runtime.txt"));
    private static final Path PROVIDED_LIST = Path.of(System.getProperty("hpi.lib.provided", "../target/hpi-lib-provided.txt"));
    private static final String LIB = "WEB-INF/lib/";
    private static final String JAR = LIB + "blue-green-deployment.jar";
    /** Libraries that Jenkins core or a plugin we depend on provides: a bundled second copy would clash with theirs. */
    private static final List<String> PROVIDED_PREFIXES = List.of("blue-green-deployment-jenkins-api", "jenkins-", "kubernetes-",
            "openshift-", "jackson-", "okhttp", "okio", "snakeyaml", "zjsonpatch", "spring-", "guava", "slf4j", "jakarta.", "jna");
    /**
     * Packages of Jenkins core's own libraries that bundled jars may use: JNA, which helm-java's JNI API needs, is in
     * core's WEB-INF/lib (5.18.1 in 2.541.x, core's bom/pom.xml).
     */
    private static final List<String> FROM_CORE = List.of("com/sun/jna/");
    private static final String CORE_JNA_VERSION = "5.18.1";
    private static final String MANN_WHITNEY = "org.apache.commons.statistics.inference.MannWhitneyUTest";

    private static Attributes manifest;
    private static Map<String, byte[]> jar;
    private static Attributes jarManifest;
    private static Path jarFile;
    private static List<String> hpiEntries;
    /** Every jar in WEB-INF/lib, the plugin jar too, extracted, by file name. */
    private static Map<String, Path> libJars;

    @BeforeAll
    static void open() throws IOException {
        assertTrue(Files.isRegularFile(HPI), "no .hpi at " + HPI.toAbsolutePath());
        try (ZipFile zip = new ZipFile(HPI.toFile())) {
            hpiEntries = Collections.list(zip.entries()).stream().map(ZipEntry::getName).collect(Collectors.toList());
            try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF"))) {
                manifest = new Manifest(in).getMainAttributes();
            }
            assertNotNull(zip.getEntry(JAR), "the plugin jar is not at " + JAR);
            Path libDir = Files.createTempDirectory("hpi-lib");
            libJars = new TreeMap<>();
            for (String name : hpiEntries) {
                if (name.startsWith(LIB) && name.endsWith(".jar") && name.indexOf('/', LIB.length()) < 0) {
                    Path extracted = libDir.resolve(name.substring(LIB.length()));
                    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
                        Files.write(extracted, in.readAllBytes());
                    }
                    libJars.put(extracted.getFileName().toString(), extracted);
                }
            }
            jarFile = libJars.get(JAR.substring(LIB.length()));
            byte[] libBytes = Files.readAllBytes(jarFile);
            jar = new LinkedHashMap<>();
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(libBytes))) {
                jarManifest = in.getManifest() == null ? new Attributes() : in.getManifest().getMainAttributes();
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    jar.put(e.getName(), in.readAllBytes());
                }
            }
        }
    }

    @Test
    void theManifestCarriesWhatJenkinsReads() {
        assertEquals("1.0", manifest.getValue("Manifest-Version"));
        assertEquals("io.jenkins.plugins", manifest.getValue("Group-Id"));
        assertEquals("blue-green-deployment", manifest.getValue("Short-Name"));
        assertEquals("blue-green-deployment", manifest.getValue("Extension-Name"));
        assertEquals("Blue-Green Deployment", manifest.getValue("Long-Name"));
        assertEquals("https://github.com/jenkinsci/blue-green-deployment-plugin", manifest.getValue("Url"));
        assertTrue(manifest.getValue("Plugin-Version").matches("[^ ]+ \\(private-.+\\)"), manifest.getValue("Plugin-Version"));
        assertEquals(System.getProperty("hpi.expected.jenkins-version", "2.541.3"), manifest.getValue("Jenkins-Version"));
        assertEquals(manifest.getValue("Jenkins-Version"), manifest.getValue("Hudson-Version"));
        assertEquals("17", manifest.getValue("Minimum-Java-Version"));
        assertEquals("MIT License", manifest.getValue("Plugin-License-Name"));
        assertEquals("https://opensource.org/license/mit/", manifest.getValue("Plugin-License-Url"));
        assertNotNull(manifest.getValue("Plugin-Developers"), "maven-hpi-plugin always writes Plugin-Developers");
        assertEquals(null, manifest.getValue("Plugin-Class"), "the plugin has no hudson.Plugin subclass");
    }

    /** Jenkins splits on ',' and ':' without trimming; ids must be the root build's dependencies. */
    @Test
    void pluginDependenciesAreTheRootBuildsDependenciesWithBomVersions() throws IOException {
        Map<String, String> deps = new LinkedHashMap<>();
        for (String d : manifest.getValue("Plugin-Dependencies").split(",")) {
            String[] idVersion = d.split(":", 2);
            assertEquals(2, idVersion.length, d);
            assertFalse(d.contains(" ") || d.contains(";"), "not a required dependency in the expected form: " + d);
            assertTrue(idVersion[1].matches("[0-9][0-9A-Za-z._-]*"), "version of " + d);
            deps.put(idVersion[0], idVersion[1]);
        }
        assertEquals(rootPluginDependencies(), new TreeSet<>(deps.keySet()));
        assertEquals(System.getProperty("hpi.expected.dependencies"), manifest.getValue("Plugin-Dependencies"));
    }

    /**
     * The artifactIds of the real build's compile-scope dependencies that are plugins: all but the libraries, which its
     * {@code hpi.bundledArtifacts} names (maven-hpi-plugin fails the build when that list is not what it bundles).
     */
    private static Set<String> rootPluginDependencies() throws IOException {
        Pom root = Pom.read(ROOT_POM);
        Set<String> bundled = Set.of(root.property("hpi.bundledArtifacts").split(","));
        Set<String> ids = new TreeSet<>();
        for (Dependency d : root.dependencies()) {
            if (!d.scope().equals("test") && !bundled.contains(d.artifactId())) {
                ids.add(d.artifactId());
            }
        }
        return ids;
    }

    /**
     * maven-hpi-plugin puts every compile and runtime dependency's jar beside the plugin jar, as artifactId-version.jar:
     * exactly those, as this build resolved them, and nothing else.
     */
    @Test
    void theHpiHoldsTheManifestThePluginJarAndTheRuntimeLibraries() throws IOException {
        List<Dependency> runtime = listed(RUNTIME_LIST);
        assertTrue(runtime.stream().anyMatch(d -> d.artifactId().equals("commons-statistics-inference")), String.valueOf(runtime));
        Set<String> expected = new TreeSet<>(List.of("META-INF/MANIFEST.MF", JAR));
        for (Dependency d : runtime) {
            assertTrue(d.scope().equals("compile") || d.scope().equals("runtime"), d.toString());
            assertEquals("jar", d.type(), d.toString());
            expected.add(LIB + d.jarName());
        }
        List<String> files = hpiEntries.stream().filter(n -> !n.endsWith("/")).sorted().collect(Collectors.toList());
        assertEquals(List.copyOf(expected), files);
    }

    @Test
    void noBundledJarIsAProvidedLibrary() throws IOException {
        Set<String> provided = listed(PROVIDED_LIST).stream().map(Dependency::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));
        // The provided list is the real thing, not empty because of a broken build.
        assertTrue(provided.containsAll(List.of("blue-green-deployment-jenkins-api", "kubernetes-client", "jackson-databind")),
                String.valueOf(provided));
        List<String> wrong = new ArrayList<>();
        for (String name : libraryJars().keySet()) {
            if (PROVIDED_PREFIXES.stream().anyMatch(name::startsWith)
                    || provided.stream().anyMatch(id -> name.matches(Pattern.quote(id) + "-[0-9].*[.]jar"))) {
                wrong.add(name);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The jars in WEB-INF/lib but the plugin jar, as packaged (whatever the build meant to put there). */
    private static Map<String, Path> libraryJars() {
        Map<String, Path> libs = new TreeMap<>(libJars);
        libs.remove(JAR.substring(LIB.length()));
        return libs;
    }

    /** The bundled libraries, by the list the build resolved, each checked to be in WEB-INF/lib. */
    private static List<Dependency> bundledLibraries() throws IOException {
        List<Dependency> libs = listed(RUNTIME_LIST);
        for (Dependency d : libs) {
            assertTrue(libJars.containsKey(d.jarName()), d.jarName() + " is not in " + LIB);
        }
        return libs;
    }

    /**
     * The statistical judge's test runs from WEB-INF/lib alone, as Jenkins' plugin class loader would load it: a loader
     * over the plugin jar and the bundled jars whose parent is the JDK's, so that nothing comes from the test class path.
     * Its p-values are those of the same library on the test class path.
     */
    @Test
    void theMannWhitneyUTestRunsFromTheBundledJars() throws Exception {
        // No ties, so that EXACT computes the exact distribution rather than falling back.
        double[] stable = {101, 98, 103, 99, 100, 102, 97, 100.5, 101.5, 99.5};
        double[] candidate = {108, 111, 104, 109, 112, 107, 110, 106, 109.5, 113};
        URL[] urls = new URL[libJars.size()];
        int i = 0;
        for (Path p : libJars.values()) {
            urls[i++] = p.toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> test = loader.loadClass(MANN_WHITNEY);
            assertTrue(test != MannWhitneyUTest.class, "loaded from the test class path");
            String from = test.getProtectionDomain().getCodeSource().getLocation().toString();
            assertTrue(from.matches("file:.*/hpi-lib[^/]*/commons-statistics-inference-[^/]+[.]jar"), from);
            Class<?> method = loader.loadClass(PValueMethod.class.getName());
            Class<?> alternative = loader.loadClass(AlternativeHypothesis.class.getName());
            for (PValueMethod m : List.of(PValueMethod.EXACT, PValueMethod.ASYMPTOTIC)) {
                Object configured = test.getMethod("with", alternative).invoke(test.getMethod("withDefaults").invoke(null),
                        alternative.getField(AlternativeHypothesis.LESS_THAN.name()).get(null));
                configured = test.getMethod("with", method).invoke(configured, method.getField(m.name()).get(null));
                Object result = test.getMethod("test", double[].class, double[].class).invoke(configured, stable, candidate);
                double p = (double) loader.loadClass("org.apache.commons.statistics.inference.SignificanceResult")
                        .getMethod("getPValue").invoke(result);
                double expected = MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.LESS_THAN).with(m).test(stable, candidate)
                        .getPValue();
                assertEquals(expected, p, 0.0, m.name());
                assertTrue(p < 0.001, m + ": " + p);
                if (m == PValueMethod.EXACT) {
                    // Every candidate above every stable value: 1 of the C(20, 10) orderings.
                    assertEquals(1.0 / 184_756, p, 1e-15);
                }
            }
        }
    }

    /**
     * Every class the bundled libraries refer to is in them, in the JDK or in Jenkins core's JNA, and so is every class
     * of theirs that the plugin jar refers to. Running one test only loads what that code path needs; this fails on any
     * missing jar, even one that an exclusion took out of both the packaging and the expected list.
     */
    @Test
    void everyClassTheBundledLibrariesNeedIsBundledOrInTheJdk() throws IOException {
        Map<String, Set<String>> libraryRefs = new TreeMap<>();
        Set<String> defined = new TreeSet<>();
        Set<String> packages = new TreeSet<>();
        for (Map.Entry<String, Path> lib : libraryJars().entrySet()) {
            try (ZipFile zip = new ZipFile(lib.getValue().toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    String name = e.getName().replaceFirst("^META-INF/versions/[0-9]+/", "");
                    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                        String cls = name.substring(0, name.length() - ".class".length());
                        defined.add(cls);
                        packages.add(cls.substring(0, cls.lastIndexOf('/') + 1));
                        try (InputStream in = zip.getInputStream(e)) {
                            libraryRefs.put(lib.getKey() + "!" + cls, referencedClasses(in));
                        }
                    }
                }
            }
        }
        assertTrue(defined.contains(MANN_WHITNEY.replace('.', '/')));
        Map<String, Set<String>> pluginRefs = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : jar.entrySet()) {
            if (e.getKey().endsWith(".class")) {
                Set<String> toLibraries = new TreeSet<>();
                for (String ref : referencedClasses(new ByteArrayInputStream(e.getValue()))) {
                    if (packages.contains(ref.substring(0, ref.lastIndexOf('/') + 1))) {
                        toLibraries.add(ref);
                    }
                }
                pluginRefs.put(JAR + "!" + e.getKey(), toLibraries);
            }
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        try (URLClassLoader core = new URLClassLoader(new URL[] {coreJna().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (Map<String, Set<String>> refs : List.of(libraryRefs, pluginRefs)) {
                refs.forEach((from, to) -> {
                    for (String ref : to) {
                        if (!defined.contains(ref) && !inJdk(ref) && !fromCore(ref, core)) {
                            missing.computeIfAbsent(from, k -> new TreeSet<>()).add(ref);
                        }
                    }
                });
            }
        }
        assertEquals(Map.of(), missing);
    }

    /** A class of a library Jenkins core ships (JNA), found in that library as this build resolved it. */
    private static boolean fromCore(String internalName, ClassLoader core) {
        if (FROM_CORE.stream().noneMatch(internalName::startsWith)) {
            return false;
        }
        try {
            Class.forName(internalName.replace('/', '.'), false, core);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The JNA jar this build compiles and tests against: provided, at the version Jenkins core 2.541.x ships. */
    private static Path coreJna() throws IOException {
        Dependency jna = listed(PROVIDED_LIST).stream().filter(d -> d.artifactId().equals("jna")).findFirst().orElseThrow(
                () -> new AssertionError("JNA is not a provided dependency"));
        assertEquals(CORE_JNA_VERSION, jna.version(), "the JNA of Jenkins core 2.541.x");
        try {
            Path jar = Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertEquals(jna.jarName(), jar.getFileName().toString());
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /**
     * The Helm renderer of the packaged plugin jar renders a chart with the bundled helm-java jars and Jenkins core's
     * JNA alone, as on a controller: a loader over WEB-INF/lib whose parent holds only core's JNA jar. Its child JVM's
     * class path is made of those very jars.
     */
    @Test
    void theHelmEngineRendersFromTheBundledJarsWithCoresJna() throws Exception {
        assertTrue(libJars.keySet().stream().anyMatch(n -> n.matches("linux-amd64-[0-9.]+[.]jar")), String.valueOf(libJars.keySet()));
        assertFalse(libJars.keySet().stream().anyMatch(n -> n.startsWith("slf4j") || n.startsWith("jna")), String.valueOf(libJars.keySet()));
        URL[] urls = new URL[libJars.size()];
        int i = 0;
        for (Path p : libJars.values()) {
            urls[i++] = p.toUri().toURL();
        }
        Path tmp = Files.createTempDirectory("hpi-helm");
        Path chart = tmp.resolve("chart");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
                + "data:\n  colour: {{ .Values.environment | quote }}\n");
        try (URLClassLoader core = new URLClassLoader(new URL[] {coreJna().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                URLClassLoader plugin = new URLClassLoader(urls, core)) {
            Class<?> renderer = plugin.loadClass("io.jenkins.plugins.bluegreen.helm.HelmRenderer");
            assertTrue(renderer.getProtectionDomain().getCodeSource().getLocation().toString().endsWith("/" + JAR.substring(LIB.length())));
            Class<?> request = plugin.loadClass("io.jenkins.plugins.bluegreen.helm.HelmRenderer$Request");
            Object r = request.getConstructors()[0].newInstance(chart, "chart", List.of(), List.of(), Map.of(), "environment", "shop", "app");
            Object rendered = renderer.getMethod("render", request, Path.class).invoke(renderer.getConstructor().newInstance(), r,
                    Files.createDirectories(tmp.resolve("work")));
            String green = (String) rendered.getClass().getMethod("green").invoke(rendered);
            assertTrue(green.contains("name: app-green") && green.contains("colour: \"green\""), green);
        }
    }

    private static boolean inJdk(String internalName) {
        try {
            Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The classes a class file's constant pool names (CONSTANT_Class entries, array element types unwrapped). */
    private static Set<String> referencedClasses(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        assertEquals(0xCAFEBABE, in.readInt());
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or a double takes two entries
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        Set<String> refs = new TreeSet<>();
        for (int index : classNames) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                int l = name.indexOf('L');
                if (l < 0) {
                    continue; // an array of primitives
                }
                name = name.substring(l + 1, name.length() - 1);
            }
            refs.add(name);
        }
        return refs;
    }

    /**
     * The real build bundles the same libraries: its direct library dependencies are this build's compile ones, with the
     * same versions, and its {@code hpi.bundledArtifacts} is what this .hpi bundles, sorted as maven-hpi-plugin sorts the
     * artifactIds it compares the property with.
     */
    @Test
    void theRootBuildBundlesTheSameLibraries() throws IOException {
        Pom root = Pom.read(ROOT_POM);
        Pom central = Pom.read(CENTRAL_POM);
        Set<String> bundled = Set.of(root.property("hpi.bundledArtifacts").split(","));
        Set<String> rootLibraries = new TreeSet<>();
        for (Dependency d : root.dependencies()) {
            if (!d.scope().equals("test") && bundled.contains(d.artifactId())) {
                rootLibraries.add(d.groupId() + ":" + d.artifactId() + ":" + root.resolve(d.version()));
            }
        }
        Set<String> centralLibraries = new TreeSet<>();
        for (Dependency d : central.dependencies()) {
            if (d.scope().equals("compile") || d.scope().equals("runtime")) {
                centralLibraries.add(d.groupId() + ":" + d.artifactId() + ":" + central.resolve(d.version()));
            }
        }
        assertFalse(centralLibraries.isEmpty());
        assertEquals(centralLibraries, rootLibraries);
        String inHpi = bundledLibraries().stream().map(Dependency::artifactId).sorted().collect(Collectors.joining(","));
        assertEquals(inHpi, root.property("hpi.bundledArtifacts"));
    }

    /** One line of maven-dependency-plugin's list: groupId:artifactId:type[:classifier]:version:scope. */
    private record Dependency(String groupId, String artifactId, String type, String classifier, String version, String scope) {

        /** The name maven-hpi-plugin (and copy-dependencies) gives the jar in WEB-INF/lib. */
        String jarName() {
            return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + type;
        }
    }

    private static List<Dependency> listed(Path list) throws IOException {
        assertTrue(Files.isRegularFile(list), "no dependency list at " + list.toAbsolutePath());
        List<Dependency> deps = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            String[] f = line.strip().split("\\s+", 2)[0].split(":");
            if (line.startsWith(" ") && (f.length == 5 || f.length == 6)) {
                deps.add(f.length == 5 ? new Dependency(f[0], f[1], f[2], "", f[3], f[4])
                        : new Dependency(f[0], f[1], f[2], f[3], f[4], f[5]));
            }
        }
        return deps;
    }

    /** The direct dependencies and the properties of a pom.xml (not its dependencyManagement). */
    private record Pom(List<Dependency> dependencies, Map<String, String> properties) {

        static Pom read(Path file) throws IOException {
            Document doc;
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                doc = factory.newDocumentBuilder().parse(file.toFile());
            } catch (ParserConfigurationException | SAXException e) {
                throw new IOException(file + ": " + e, e);
            }
            Element project = doc.getDocumentElement();
            Map<String, String> properties = new TreeMap<>();
            for (Element props : children(project, "properties")) {
                for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        properties.put(e.getTagName(), e.getTextContent().strip());
                    }
                }
            }
            List<Dependency> deps = new ArrayList<>();
            for (Element list : children(project, "dependencies")) {
                for (Element d : children(list, "dependency")) {
                    deps.add(new Dependency(text(d, "groupId", ""), text(d, "artifactId", ""), text(d, "type", "jar"),
                            text(d, "classifier", ""), text(d, "version", ""), text(d, "scope", "compile")));
                }
            }
            return new Pom(deps, properties);
        }

        String property(String name) {
            String value = properties.get(name);
            assertNotNull(value, "no property " + name);
            return value;
        }

        /** A version with its ${property} references replaced by this pom's properties. */
        String resolve(String value) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(property(m.group(1))));
            }
            return m.appendTail(out).toString();
        }

        private static List<Element> children(Element parent, String tag) {
            List<Element> found = new ArrayList<>();
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(tag)) {
                    found.add(e);
                }
            }
            return found;
        }

        private static String text(Element parent, String tag, String absent) {
            List<Element> found = children(parent, tag);
            return found.isEmpty() ? absent : found.get(0).getTextContent().strip();
        }
    }

    @Test
    void theSezPozIndexListsEveryExtension() throws IOException {
        byte[] index = jar.get("META-INF/annotations/hudson.Extension");
        assertNotNull(index, "no SezPoz index in the plugin jar");
        Set<String> indexed = new TreeSet<>();
        // Read it the way Jenkins does (net.java.sezpoz.Index) from a loader that sees only the index.
        ClassLoader onlyIndex = new ClassLoader(null) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws IOException {
                if (!name.equals("META-INF/annotations/hudson.Extension")) {
                    return Collections.emptyEnumeration();
                }
                Path tmp = Files.createTempFile("sezpoz", ".idx");
                Files.write(tmp, index);
                return Collections.enumeration(List.of(tmp.toUri().toURL()));
            }
        };
        for (IndexItem<hudson.Extension, Object> item : Index.load(hudson.Extension.class, Object.class, onlyIndex)) {
            indexed.add(item.className());
        }
        assertEquals(extensionsInSources(), indexed);
        for (String step : List.of("BlueGreenDeployStep", "ShiftTrafficStep", "VerifyMetricsStep", "RollbackStep")) {
            assertTrue(indexed.contains("io.jenkins.plugins.bluegreen.steps." + step + "$DescriptorImpl"), "the .hpi carries " + step);
        }
    }

    /** Every class the sources annotate with {@code @Extension}, by binary name. */
    private static Set<String> extensionsInSources() throws IOException {
        Set<String> found = new TreeSet<>();
        Path root = SOURCES.resolve("main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                String src = Files.readString(p);
                String outer = root.relativize(p).toString().replace('/', '.').replaceAll("\\.java$", "");
                Matcher m = Pattern.compile("@Extension\\b[^\\n]*\\n(?:\\s*@\\w+[^\\n]*\\n)*\\s*public (?:static )?(?:final )?class (\\w+)").matcher(src);
                while (m.find()) {
                    String simple = m.group(1);
                    found.add(outer.endsWith("." + simple) ? outer : outer + "$" + simple);
                }
            }
        }
        assertFalse(found.isEmpty());
        return found;
    }

    @Test
    void theSymbolIndexListsEverySymbol() {
        byte[] index = jar.get("META-INF/annotations/org.jenkinsci.Symbol");
        assertNotNull(index, "no annotation-indexer index for @Symbol");
        assertTrue(new String(index, java.nio.charset.StandardCharsets.UTF_8).lines()
                .anyMatch("io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration"::equals));
        // gate(...) and smokeTest(...) inside the steps' arguments resolve through their symbols.
        List<String> lines = new String(index, java.nio.charset.StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertTrue(lines.contains("io.jenkins.plugins.bluegreen.steps.MetricGate$DescriptorImpl"), String.valueOf(lines));
        assertTrue(lines.contains("io.jenkins.plugins.bluegreen.steps.SmokeTest$DescriptorImpl"), String.valueOf(lines));
    }

    @Test
    void viewsHelpAndMessagesArePackaged() throws IOException {
        List<String> missing = new ArrayList<>();
        Path resources = SOURCES.resolve("main/resources");
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path p : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = resources.relativize(p).toString().replace('\\', '/');
                if (!jar.containsKey(name)) {
                    missing.add(name);
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(jar.containsKey("index.jelly"));
        assertTrue(jar.containsKey("io/jenkins/plugins/bluegreen/config/Messages.class"), "localizer Messages not compiled in");
        assertTrue(jar.containsKey("io/jenkins/plugins/bluegreen/config/BlueGreenGlobalConfiguration/config.jelly"),
                "a GlobalConfiguration's page is config.jelly: Jenkins shows no section for a global.jelly");
        // The rollout page loads the report's style sheet as a Stapler adjunct, which Jenkins serves from the classpath.
        assertTrue(jar.containsKey("io/jenkins/plugins/bluegreen/report/report.css"), "the report's style sheet");
        assertTrue(jar.containsKey("io/jenkins/plugins/bluegreen/steps/RolloutAction/chart.jelly"));
    }

    @Test
    void noDeclarationAndNoProvidedLibraryIsInside() {
        List<String> foreign = new ArrayList<>();
        for (String name : jar.keySet()) {
            if (name.endsWith("/")) {
                continue;
            }
            boolean ours = name.startsWith("io/jenkins/plugins/bluegreen/") || name.startsWith("META-INF/")
                    || name.equals("index.jelly");
            boolean isProvided = name.startsWith("hudson/") || name.startsWith("jenkins/") || name.startsWith("org/jenkinsci/")
                    || name.startsWith("org/kohsuke/") || name.startsWith("com/cloudbees/") || name.startsWith("com/fasterxml/")
                    || name.startsWith("okhttp3/") || name.startsWith("org/yaml/") || name.startsWith("io/fabric8/")
                    || name.startsWith("io/jenkins/plugins/bluegreen/central/");
            if (!ours || isProvided || name.endsWith(".jar")) {
                foreign.add(name);
            }
        }
        assertEquals(List.of(), foreign);
    }

    /**
     * maven-hpi-plugin gives the classes jar the .hpi's manifest, and Jenkins' class filter reads the jar's own: the
     * attributes that make it a plugin's must be there, with the .hpi's values.
     */
    @Test
    void theClassesJarCarriesThePluginManifest() {
        for (String name : List.of("Group-Id", "Artifact-Id", "Short-Name", "Long-Name", "Url", "Extension-Name", "Plugin-Version",
                "Hudson-Version", "Jenkins-Version", "Minimum-Java-Version", "Plugin-Dependencies", "Plugin-Developers",
                "Plugin-License-Name", "Plugin-License-Url")) {
            assertNotNull(manifest.getValue(name), name);
            assertEquals(manifest.getValue(name), jarManifest.getValue(name), name + " of " + JAR);
        }
        assertTrue(ClassFilterRule.isPluginManifest(jarManifest), "JEP-200 would not take " + JAR + " for a plugin's");
    }

    /**
     * Every class of ours that XStream writes to the global configuration or to build.xml, loaded from the packaged
     * jar as Jenkins loads it, passes Jenkins' class filter: the types XStream consults when it saves and loads the
     * fixtures, and every class of ours reachable through the saved fields of what Jenkins saves.
     */
    @Test
    void jenkinsClassFilterTrustsEverySavedClassOfOurs() throws Exception {
        JenkinsXStream xstream = new JenkinsXStream();
        xstream.fromXml(xstream.toXml(SavedObjects.globalConfiguration()), new BlueGreenGlobalConfiguration());
        xstream.fromXml(xstream.toXml(SavedObjects.rolloutAction()));
        try (PluginJarLoader loader = new PluginJarLoader(jarFile)) {
            Set<String> saved = new TreeSet<>();
            for (Class<?> c : xstream.consulted()) {
                if (c.getName().startsWith("io.jenkins.plugins.bluegreen.")) {
                    saved.add(c.getName());
                }
            }
            saved.addAll(SavedTypes.reachableFrom(loader.loadClass(BlueGreenGlobalConfiguration.class.getName()),
                    loader.loadClass(KubernetesCluster.class.getName()), loader.loadClass(PrometheusServer.class.getName()),
                    loader.loadClass(AlertmanagerServer.class.getName()), loader.loadClass(RolloutAction.class.getName()),
                    loader.loadClass("io.jenkins.plugins.bluegreen.steps.HelmChart"),
                    // step arguments are kept with the build's flow nodes by XStream too
                    loader.loadClass(ChatNotification.class.getName())));
            assertTrue(saved.size() >= 9, String.valueOf(saved));
            for (String name : saved) {
                Class<?> c = loader.loadClass(name);
                assertEquals(jarFile.toUri().toURL().toString(), ClassFilterRule.location(c), name + " comes from the packaged jar");
                assertEquals(Optional.empty(), ClassFilterRule.rejection(c), name);
            }
        }
    }

    /** The same class from a jar without the plugin attributes is what Jenkins 2.528.3 logged and refused to save. */
    @Test
    void fromAJarWithoutThePluginManifestJenkinsWouldRejectIt() throws Exception {
        Path bare = jarFile.resolveSibling("bare.jar");
        Manifest onlyVersion = new Manifest();
        onlyVersion.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bare), onlyVersion)) {
            for (Map.Entry<String, byte[]> e : jar.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        try (PluginJarLoader loader = new PluginJarLoader(bare)) {
            Optional<String> rejection = ClassFilterRule.rejection(loader.loadClass(BlueGreenGlobalConfiguration.class.getName()));
            assertTrue(rejection.isPresent());
            assertTrue(rejection.get().matches(".*BlueGreenGlobalConfiguration in file:.*/bare[.]jar might be dangerous, so rejecting"),
                    rejection.get());
        }
    }

    @Test
    void theClassesTargetTheBaselineJava() throws IOException {
        byte[] cls = jar.get("io/jenkins/plugins/bluegreen/config/BlueGreenGlobalConfiguration.class");
        assertNotNull(cls);
        int major = ((cls[6] & 0xff) << 8) | (cls[7] & 0xff);
        assertEquals(61, major, "Java 17 class files");
        assertTrue(new ByteArrayInputStream(cls).available() > 0);
    }
}
