package io.jenkins.plugins.bluegreen.hpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.persistence.ClassFilterRule;
import io.jenkins.plugins.bluegreen.persistence.JenkinsXStream;
import io.jenkins.plugins.bluegreen.persistence.PluginJarLoader;
import io.jenkins.plugins.bluegreen.persistence.SavedObjects;
import io.jenkins.plugins.bluegreen.persistence.SavedTypes;
import io.jenkins.plugins.bluegreen.steps.RolloutAction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the .hpi the Central build packaged and checks it is what a real Jenkins loads: the manifest as
 * maven-hpi-plugin writes it, the classes jar in WEB-INF/lib with the same manifest, its Jelly views, help files,
 * Messages and annotation indexes, classes that Jenkins' class filter lets XStream save, and nothing that must not be
 * there (our compile-only declarations, or libraries that Jenkins plugins provide).
 */
class HpiContentsIT {

    private static final Path HPI = Path.of(System.getProperty("hpi.file", "../target/blue-green-deployment.hpi"));
    private static final Path SOURCES = Path.of(System.getProperty("plugin.sources", "../../src"));
    private static final String JAR = "WEB-INF/lib/blue-green-deployment.jar";

    private static Attributes manifest;
    private static Map<String, byte[]> jar;
    private static Attributes jarManifest;
    private static Path jarFile;
    private static List<String> hpiEntries;

    @BeforeAll
    static void open() throws IOException {
        assertTrue(Files.isRegularFile(HPI), "no .hpi at " + HPI.toAbsolutePath());
        try (ZipFile zip = new ZipFile(HPI.toFile())) {
            hpiEntries = Collections.list(zip.entries()).stream().map(ZipEntry::getName).collect(Collectors.toList());
            try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF"))) {
                manifest = new Manifest(in).getMainAttributes();
            }
            ZipEntry lib = zip.getEntry(JAR);
            assertNotNull(lib, "the plugin jar is not at " + JAR);
            byte[] libBytes;
            try (InputStream in = zip.getInputStream(lib)) {
                libBytes = in.readAllBytes();
            }
            jarFile = Files.createTempDirectory("hpi-lib").resolve("blue-green-deployment.jar");
            Files.write(jarFile, libBytes);
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

    /** The artifactIds of the compile-scope dependencies of the real build's pom.xml. */
    private static Set<String> rootPluginDependencies() throws IOException {
        String pom = Files.readString(SOURCES.resolve("../pom.xml"));
        String deps = pom.substring(pom.indexOf("<dependencies>", pom.indexOf("</dependencyManagement>")));
        Set<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(deps);
        while (m.find()) {
            if (!m.group(1).contains("<scope>test</scope>")) {
                Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(m.group(1));
                assertTrue(a.find());
                ids.add(a.group(1));
            }
        }
        return ids;
    }

    @Test
    void theHpiHoldsOnlyTheManifestAndThePluginJar() {
        List<String> files = hpiEntries.stream().filter(n -> !n.endsWith("/")).collect(Collectors.toList());
        assertEquals(List.of("META-INF/MANIFEST.MF", JAR), files);
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
        assertTrue(hpiEntries.stream().noneMatch(n -> n.endsWith(".jar") && !n.equals(JAR)), "a bundled library: " + hpiEntries);
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
                    loader.loadClass(RolloutAction.class.getName())));
            assertTrue(saved.size() >= 6, String.valueOf(saved));
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
