package io.jenkins.plugins.bluegreen.persistence;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The JEP-200 rule by which Jenkins decides whether XStream may write or read a class ({@code
 * jenkins.security.ClassFilterImpl#isBlacklisted(Class)}, unchanged from core 2.528.3 to 2.578), restated for tests:
 * an array, a {@code Throwable} or an enum is allowed; otherwise the class's code source decides. A jar is trusted when
 * its own {@code META-INF/MANIFEST.MF} has {@code Short-Name} and {@code Plugin-Version} or {@code Jenkins-Version}, or
 * {@code Jenkins-ClassFilter-Whitelisted: true}; a plugin's {@code target/classes/} (a development run) is trusted too.
 * JDK classes have no code source and pass only by name, through core's {@code whitelisted-classes.txt}. Anything else is
 * "might be dangerous, so rejecting", and XStream2 then refuses to marshal or unmarshal it.
 * <p>
 * Left out: {@code CustomClassFilter} extensions (the plugin contributes none), the standard blacklist (never true for
 * our types), and the locations trusted only in a plugin's own unit tests, in Gradle output or in unpacked legacy
 * plugins.
 */
public final class ClassFilterRule {

    /**
     * The JDK classes of core's {@code whitelisted-classes.txt} a plugin's saved state commonly holds; add a name only if
     * that file has it. Notably absent: {@code java.util.ImmutableCollections$*} ({@code List.of}, {@code
     * List.copyOf}, {@code Stream.toList}) and {@code java.time.*} values.
     */
    static final Set<String> JDK_WHITELIST = Set.of(
            "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Double", "java.lang.Float",
            "java.lang.Integer", "java.lang.Long", "java.lang.Number", "java.lang.Object", "java.lang.Short",
            "java.lang.String", "java.util.ArrayList", "java.util.Arrays$ArrayList", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet", "java.util.Collections$SingletonList",
            "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.HashMap", "java.util.HashSet", "java.util.LinkedHashMap", "java.util.LinkedHashSet",
            "java.util.LinkedList", "java.util.TreeMap", "java.util.TreeSet");

    private ClassFilterRule() {}

    /** Empty when Jenkins would let XStream write and read {@code c}; otherwise Jenkins' reason for rejecting it. */
    public static Optional<String> rejection(Class<?> c) {
        if (c.isArray() || Throwable.class.isAssignableFrom(c) || Enum.class.isAssignableFrom(c)) {
            return Optional.empty();
        }
        String location = location(c);
        if (location != null && trustedLocation(location)) {
            return Optional.empty();
        }
        if (JDK_WHITELIST.contains(c.getName())) {
            return Optional.empty();
        }
        return Optional.of(c.getName() + " in " + (location == null ? "JRE" : location) + " might be dangerous, so rejecting");
    }

    /** Where {@code c} was loaded from, as a {@code file:} URL string of a jar or directory, or null (the JDK). */
    public static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) {
            return null;
        }
        String s = url.toString();
        String classFile = c.getName().replace('.', '/') + ".class";
        if (s.endsWith(classFile)) {
            s = s.substring(0, s.length() - classFile.length());
        }
        if (s.startsWith("jar:file:/") && s.endsWith(".jar!/")) {
            s = s.substring("jar:".length(), s.length() - "!/".length());
        }
        return s;
    }

    private static boolean trustedLocation(String location) {
        if (location.matches("file:/.+[.]jar")) {
            try (JarFile jar = new JarFile(new File(new URI(location)), false)) {
                Manifest manifest = jar.getManifest();
                if (manifest != null && isPluginManifest(manifest.getMainAttributes())) {
                    return true;
                }
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                return false; // Jenkins logs "problem checking" and goes on to reject
            }
        }
        return location.endsWith("/target/classes/");
    }

    /** What makes a manifest a plugin's for the filter. */
    public static boolean isPluginManifest(Attributes main) {
        boolean plugin = main.getValue("Short-Name") != null
                && (main.getValue("Plugin-Version") != null || main.getValue("Jenkins-Version") != null);
        return plugin || "true".equals(main.getValue("Jenkins-ClassFilter-Whitelisted"));
    }
}
