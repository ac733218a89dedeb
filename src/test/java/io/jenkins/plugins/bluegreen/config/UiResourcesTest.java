package io.jenkins.plugins.bluegreen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The forms and the Java side agree, as Stapler will need them to in a real Jenkins: every form field binds
 * (a {@code @DataBoundConstructor} parameter or a {@code @DataBoundSetter}) and reads back (a getter), every
 * bindable property is in the form with a help file, test buttons send what their method reads, and the
 * views are safe under a Content-Security-Policy.
 */
class UiResourcesTest {

    private static String resource(Class<?> owner, String name) throws IOException {
        String path = "/" + owner.getName().replace('.', '/') + "/" + name;
        try (InputStream in = UiResourcesTest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String view(Class<?> owner) throws IOException {
        String jelly = resource(owner, "config.jelly");
        return jelly != null ? jelly : resource(owner, "global.jelly");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> fields(Document doc) {
        Set<String> fields = new TreeSet<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getLocalName().equals("entry") && e.hasAttribute("field")) {
                fields.add(e.getAttribute("field"));
            }
        }
        return fields;
    }

    private static Set<String> bindable(Class<?> c) {
        Set<String> names = new TreeSet<>();
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                Arrays.stream(k.getParameters()).map(Parameter::getName).forEach(names::add);
            }
        }
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }

    /** A class of this package by simple name, or of another package of the plugin as {@code package.Class}. */
    private static Class<?> type(String simpleName) throws ClassNotFoundException {
        String base = simpleName.contains(".") ? "io.jenkins.plugins.bluegreen" : UiResourcesTest.class.getPackageName();
        return Class.forName(base + "." + simpleName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "BlueGreenGlobalConfiguration", "steps.RollbackStep", "steps.ShiftTrafficStep",
        "steps.SmokeTest"})
    void everyFormFieldBindsReadsBackAndHasHelp(String simpleName) throws Exception {
        Class<?> c = type(simpleName);
        String jelly = view(c);
        assertNotNull(jelly, "no view for " + simpleName);
        Set<String> fields = fields(parse(jelly));
        assertEquals(bindable(c), fields, "form fields and data-bound properties of " + simpleName);
        for (String field : fields) {
            String getter = Character.toUpperCase(field.charAt(0)) + field.substring(1);
            boolean readable = Arrays.stream(c.getMethods())
                    .anyMatch(m -> m.getParameterCount() == 0 && (m.getName().equals("get" + getter) || m.getName().equals("is" + getter)));
            assertTrue(readable, simpleName + " has no getter for " + field);
            assertNotNull(resource(c, "help-" + field + ".html"), simpleName + " has no help-" + field + ".html");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "BlueGreenGlobalConfiguration", "steps.RollbackStep", "steps.ShiftTrafficStep",
        "steps.SmokeTest"})
    void viewsEscapeByDefaultAndCarryNoInlineScriptOrStyle(String simpleName) throws Exception {
        String jelly = view(type(simpleName));
        assertTrue(jelly.startsWith("<?jelly escape-by-default='true'?>"), simpleName);
        assertFalse(Pattern.compile("<script|<style|\\son[a-z]+=|style=", Pattern.CASE_INSENSITIVE).matcher(jelly).find(), simpleName);
        assertFalse(jelly.contains("checkUrl"), "legacy checkUrl in " + simpleName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer"})
    void testButtonsSendWhatTheirMethodReads(String simpleName) throws Exception {
        Class<?> c = type(simpleName);
        Matcher m = Pattern.compile("method=\"(\\w+)\"\\s+with=\"([\\w,]+)\"").matcher(view(c));
        assertTrue(m.find(), "no validate button in " + simpleName);
        String method = "do" + Character.toUpperCase(m.group(1).charAt(0)) + m.group(1).substring(1);
        List<String> sent = List.of(m.group(2).split(","));
        Method target = Arrays.stream(type(simpleName + "$DescriptorImpl").getMethods())
                .filter(x -> x.getName().equals(method)).findFirst().orElseThrow();
        List<String> read = Arrays.stream(target.getParameters())
                .filter(p -> p.isAnnotationPresent(QueryParameter.class)).map(Parameter::getName).collect(Collectors.toList());
        assertEquals(read, sent);
        assertTrue(bindable(c).containsAll(sent), "the button sends a value that is not a form field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "steps.RollbackStep", "steps.ShiftTrafficStep",
        "steps.SmokeTest"})
    void describablesHaveAHelpPage(String simpleName) throws Exception {
        assertNotNull(resource(type(simpleName), "help.html"));
    }
}
