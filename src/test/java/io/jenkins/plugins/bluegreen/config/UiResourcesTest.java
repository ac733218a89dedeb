package io.jenkins.plugins.bluegreen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.testinfra.DataBoundNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    /**
     * Properties no form control can bind: a list of numbers ({@code trafficSteps: [5, 50, 100]}), a list of paths and a
     * map ({@code helmChart}'s {@code values} and {@code set}) or of events ({@code on: ['rollback']}) are written in the
     * Jenkinsfile, and the help says so.
     */
    private static final java.util.Map<String, Set<String>> LEFT_OUT_OF_FORMS = java.util.Map.of(
            "BlueGreenDeployStep", Set.of("trafficSteps", "silence"), "ShiftTrafficStep", Set.of("silence"), "HelmChart", Set.of("values", "set"), "ChatNotification", Set.of("on"));

    /** A field's help, found as Jenkins finds it: next to the class's views, or next to a superclass's. */
    private static String help(Class<?> owner, String field) throws IOException {
        for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
            String html = resource(c, "help-" + field + ".html");
            if (html != null) {
                return html;
            }
        }
        return null;
    }

    /** The form of a describable, and of a GlobalConfiguration too: its getGlobalConfigPage() is getConfigPage(). */
    private static String view(Class<?> owner) throws IOException {
        return resource(owner, "config.jelly");
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
            // an f:optionalProperty is a nested describable's form of its own, with its field
            if ((e.getLocalName().equals("entry") || e.getLocalName().equals("optionalProperty")) && e.hasAttribute("field")) {
                fields.add(e.getAttribute("field"));
            }
        }
        return fields;
    }

    /** A class of this package by simple name, or of another package of the plugin as {@code package.Class}. */
    private static Class<?> type(String simpleName) throws ClassNotFoundException {
        String base = simpleName.contains(".") ? "io.jenkins.plugins.bluegreen" : UiResourcesTest.class.getPackageName();
        return Class.forName(base + "." + simpleName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "AlertmanagerServer", "BlueGreenGlobalConfiguration", "steps.RollbackStep", "steps.ShiftTrafficStep",
            "steps.VerifyMetricsStep", "steps.MetricGate", "steps.SmokeTest", "steps.BlueGreenDeployStep", "steps.HelmChart", "steps.ChatNotification"})
    void everyFormFieldBindsReadsBackAndHasHelp(String simpleName) throws Exception {
        Class<?> c = type(simpleName);
        String jelly = view(c);
        assertNotNull(jelly, "no view for " + simpleName);
        Set<String> fields = fields(parse(jelly));
        Set<String> expected = DataBoundNames.of(c);
        expected.removeAll(LEFT_OUT_OF_FORMS.getOrDefault(c.getSimpleName(), Set.of()));
        assertEquals(expected, fields, "form fields and data-bound properties of " + simpleName);
        LEFT_OUT_OF_FORMS.getOrDefault(c.getSimpleName(), Set.of()).forEach(f -> {
            try {
                assertNotNull(help(c, f), simpleName + " documents " + f + " although the form leaves it out");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (String field : fields) {
            String getter = Character.toUpperCase(field.charAt(0)) + field.substring(1);
            boolean readable = Arrays.stream(c.getMethods())
                    .anyMatch(m -> m.getParameterCount() == 0 && (m.getName().equals("get" + getter) || m.getName().equals("is" + getter)));
            assertTrue(readable, simpleName + " has no getter for " + field);
            assertNotNull(help(c, field), simpleName + " has no help-" + field + ".html");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "AlertmanagerServer", "BlueGreenGlobalConfiguration", "steps.RollbackStep", "steps.ShiftTrafficStep",
            "steps.VerifyMetricsStep", "steps.MetricGate", "steps.SmokeTest", "steps.BlueGreenDeployStep", "steps.HelmChart", "steps.ChatNotification"})
    void viewsEscapeByDefaultAndCarryNoInlineScriptOrStyle(String simpleName) throws Exception {
        String jelly = view(type(simpleName));
        assertTrue(jelly.startsWith("<?jelly escape-by-default='true'?>"), simpleName);
        assertFalse(Pattern.compile("<script|<style|\\son[a-z]+=|style=", Pattern.CASE_INSENSITIVE).matcher(jelly).find(), simpleName);
        assertFalse(jelly.contains("checkUrl"), "legacy checkUrl in " + simpleName);
    }

    /** Pages that show build data: escaped, well-formed, CSP-safe, with every parameterized message defined. */
    @ParameterizedTest
    @ValueSource(strings = {"steps.RolloutAction/index", "steps.RolloutAction/summary", "steps.RolloutAction/chart",
            "steps.RolloutAction/events"})
    void dataPagesEscapeAndDefineTheirMessages(String page) throws Exception {
        Class<?> c = type(page.substring(0, page.indexOf('/')));
        String name = page.substring(page.indexOf('/') + 1);
        String jelly = resource(c, name + ".jelly");
        assertNotNull(jelly, page);
        assertTrue(jelly.startsWith("<?jelly escape-by-default='true'?>"), page);
        assertNotNull(parse(jelly), page);
        assertFalse(Pattern.compile("<script|<style|\\son[a-z]+=|style=|<j:out|escape-by-default='false'",
                Pattern.CASE_INSENSITIVE).matcher(jelly).find(), page);
        Properties messages = new Properties();
        String properties = resource(c, name + ".properties");
        if (properties != null) {
            messages.load(new StringReader(properties));
        }
        Matcher m = Pattern.compile("\\$\\{%(\\w+)\\(").matcher(jelly);
        while (m.find()) {
            assertTrue(messages.containsKey(m.group(1)), page + " uses ${%" + m.group(1) + "(...)} without defining it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "AlertmanagerServer"})
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
        assertTrue(DataBoundNames.of(c).containsAll(sent), "the button sends a value that is not a form field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"KubernetesCluster", "PrometheusServer", "AlertmanagerServer", "steps.RollbackStep", "steps.ShiftTrafficStep",
            "steps.VerifyMetricsStep", "steps.MetricGate", "steps.SmokeTest", "steps.BlueGreenDeployStep", "steps.HelmChart", "steps.ChatNotification"})
    void describablesHaveAHelpPage(String simpleName) throws Exception {
        assertNotNull(resource(type(simpleName), "help.html"));
    }
}
