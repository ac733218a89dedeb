package io.jenkins.plugins.bluegreen.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the compile-only declarations and {@code signatures.txt} in step: a declaration that the file does
 * not list, or a listed signature that is not declared, fails the build. Adding to the Jenkins API surface
 * is therefore always a deliberate edit of the file, reviewed against the real sources.
 *
 * <p>To rewrite the file after a reviewed change: {@code mvn -f central/pom.xml -pl jenkins-api test
 * -Dsignatures.update=true}.
 */
class SignaturesTest {

    /** Packages the declarations may live in: only the Jenkins APIs we compile against. */
    private static final List<String> JENKINS_PACKAGES = List.of(
            "hudson.",
            "jenkins.",
            "org.jenkinsci.",
            "org.kohsuke.stapler.",
            "com.cloudbees.plugins.credentials.",
            "org.jvnet.hudson.");

    /** The Central build's own tooling (the annotation index processor) is not a declaration. */
    private static final String BUILD_TOOLING = "io.jenkins.plugins.bluegreen.central.";

    private final Path classes = Path.of(System.getProperty("declarations.dir", "target/classes"));
    private final Path file = Path.of(System.getProperty("signatures.file", "signatures.txt"));

    @Test
    void everyDeclarationIsListedAndEveryListedSignatureIsDeclared() throws Exception {
        SortedSet<String> declared = SignatureReader.read(declaredClasses());
        if (Boolean.getBoolean("signatures.update")) {
            Files.write(file, header(declared), StandardCharsets.UTF_8);
        }
        SortedSet<String> listed = listed();

        SortedSet<String> unlisted = new TreeSet<>(declared);
        unlisted.removeAll(listed);
        SortedSet<String> undeclared = new TreeSet<>(listed);
        undeclared.removeAll(declared);
        if (!unlisted.isEmpty() || !undeclared.isEmpty()) {
            fail("central/jenkins-api/signatures.txt and the declarations differ.\n"
                    + "Declared but not listed (check against the real API, then list):\n  "
                    + String.join("\n  ", unlisted)
                    + "\nListed but not declared:\n  "
                    + String.join("\n  ", undeclared));
        }
    }

    @Test
    void declarationsOnlyDeclareJenkinsPackages() throws Exception {
        for (Class<?> c : declaredClasses()) {
            assertTrue(
                    JENKINS_PACKAGES.stream().anyMatch(p -> c.getName().startsWith(p)),
                    c.getName() + " is not in a Jenkins package; real libraries come from Maven Central instead");
        }
    }

    @Test
    void theFileHasNoDuplicateLines() throws IOException {
        List<String> lines = signatureLines();
        assertEquals(lines.size(), Set.copyOf(lines).size(), "signatures.txt lists a line twice");
    }

    private List<Class<?>> declaredClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = classes.relativize(p).toString().replace('/', '.').replace('\\', '.');
                name = name.substring(0, name.length() - ".class".length());
                if (name.startsWith(BUILD_TOOLING)) {
                    continue;
                }
                result.add(Class.forName(name, false, getClass().getClassLoader()));
            }
        }
        assertTrue(result.size() > 0, "no declarations found in " + classes);
        return result;
    }

    private SortedSet<String> listed() throws IOException {
        return new TreeSet<>(signatureLines());
    }

    private List<String> signatureLines() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .collect(Collectors.toList());
    }

    private static List<String> header(SortedSet<String> declared) {
        List<String> out = new ArrayList<>();
        out.add("# Every public or protected class and member declared in central/jenkins-api, one per line.");
        out.add("# Each must match the real Jenkins API (the jenkinsci sources at the versions the BOM pins).");
        out.add("# SignaturesTest fails when this file and the declarations differ.");
        out.addAll(declared);
        return out;
    }
}
