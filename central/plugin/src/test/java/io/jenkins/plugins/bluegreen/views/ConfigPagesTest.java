package io.jenkins.plugins.bluegreen.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import jenkins.model.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The configuration pages are where Jenkins looks for them, and their fields bind as Stapler binds them: a {@code
 * field="x"} is shown through {@code getX()}/{@code isX()} and submitted to the {@code @DataBoundConstructor}
 * parameter {@code x} or the {@code @DataBoundSetter} {@code x}; a drop-down ({@code f:select}, {@code c:select})
 * is filled by the descriptor's {@code doFillXItems}, without which {@code Descriptor.calcFillSettings} fails the page.
 */
class ConfigPagesTest {

    private static final String FORM = "/lib/form";
    private static final String CREDENTIALS = "/lib/credentials";

    /** A GlobalConfiguration's section is its config.jelly: getGlobalConfigPage() returns getConfigPage(). */
    @Test
    void everyGlobalConfigurationHasAConfigPage() throws Exception {
        List<Class<?>> configurations = ourClasses().stream()
                .filter(c -> GlobalConfiguration.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()))
                .collect(Collectors.toList());
        assertTrue(configurations.contains(BlueGreenGlobalConfiguration.class), String.valueOf(configurations));
        for (Class<?> c : configurations) {
            Path folder = View.RESOURCES.resolve(c.getName().replace('.', '/'));
            assertTrue(Files.isRegularFile(folder.resolve("config.jelly")), c.getName() + " has no config.jelly: Jenkins shows no section for it");
            assertFalse(Files.exists(folder.resolve("global.jelly")), c.getName() + ": global.jelly is for other descriptors' sections");
        }
    }

    /** The config.jelly of every describable (steps, their nested arguments, the global configuration and its entries). */
    static List<View> configPages() throws Exception {
        List<View> pages = new ArrayList<>();
        for (View v : View.all()) {
            if (v.name().endsWith("/config.jelly") && Describable.class.isAssignableFrom(v.owner())) {
                pages.add(v);
            }
        }
        return pages;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configPages")
    void everyFieldReadsBackAndBinds(View page) throws Exception {
        Class<?> owner = page.owner();
        List<String> fields = new ArrayList<>();
        for (Element e : formElements(page)) {
            if (e.hasAttribute("field")) {
                fields.add(e.getAttribute("field"));
            }
        }
        assertFalse(fields.isEmpty(), page + " binds nothing");
        for (String field : fields) {
            assertTrue(hasGetter(owner, field), page + ": field " + field + " has no getter on " + owner.getSimpleName());
            assertTrue(binds(owner, field), page + ": field " + field + " is neither a @DataBoundConstructor parameter nor a "
                    + "@DataBoundSetter of " + owner.getSimpleName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configPages")
    void everyDropDownHasAFillMethod(View page) throws Exception {
        Class<?> descriptor = descriptorOf(page.owner());
        for (Element e : formElements(page)) {
            if (!e.getLocalName().equals("select")) {
                continue;
            }
            String field = fieldOf(e);
            assertNotNull(field, page + ": a drop-down without a field");
            String fill = "doFill" + Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Items";
            assertTrue(Arrays.stream(descriptor.getMethods()).anyMatch(m -> m.getName().equals(fill)),
                    page + ": " + descriptor.getName() + " has no " + fill + ", so the page fails to render");
        }
    }

    private static List<Element> formElements(View page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList all = f.newDocumentBuilder().parse(page.file.toFile()).getElementsByTagNameNS("*", "*");
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (FORM.equals(e.getNamespaceURI()) || CREDENTIALS.equals(e.getNamespaceURI())) {
                elements.add(e);
            }
        }
        return elements;
    }

    /** The element's own field, or the enclosing {@code f:entry}'s, as {@code f:prepareDatabinding} finds it. */
    private static String fieldOf(Element e) {
        for (Node n = e; n instanceof Element; n = n.getParentNode()) {
            Element x = (Element) n;
            if (x.hasAttribute("field") && (x == e || FORM.equals(x.getNamespaceURI()) && x.getLocalName().equals("entry"))) {
                return x.getAttribute("field");
            }
        }
        return null;
    }

    private static boolean hasGetter(Class<?> c, String field) {
        String suffix = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        return Arrays.stream(c.getMethods()).anyMatch(m -> m.getParameterCount() == 0
                && (m.getName().equals("get" + suffix) || m.getName().equals("is" + suffix)));
    }

    private static boolean binds(Class<?> c, String field) {
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)
                    && Arrays.stream(k.getParameters()).map(Parameter::getName).anyMatch(field::equals)) {
                return true;
            }
        }
        String setter = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class) && m.getName().equals(setter) && m.getParameterCount() == 1) {
                return true;
            }
        }
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.isAnnotationPresent(DataBoundSetter.class) && f.getName().equals(field)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A GlobalConfiguration is its own descriptor; any other describable's is a nested Descriptor. */
    private static Class<?> descriptorOf(Class<?> owner) {
        if (Descriptor.class.isAssignableFrom(owner)) {
            return owner;
        }
        List<Class<?>> nested = Arrays.stream(owner.getDeclaredClasses())
                .filter(Descriptor.class::isAssignableFrom).collect(Collectors.toList());
        assertEquals(1, nested.size(), owner + " should declare its descriptor");
        return nested.get(0);
    }

    /** Every class the plugin's build compiled, from its output folder. */
    private static List<Class<?>> ourClasses() throws Exception {
        Path root = Path.of(BlueGreenGlobalConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            List<Class<?>> classes = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith("io.jenkins.plugins.bluegreen.")) {
                    classes.add(Class.forName(name, false, ConfigPagesTest.class.getClassLoader()));
                }
            }
            return classes;
        }
    }
}
