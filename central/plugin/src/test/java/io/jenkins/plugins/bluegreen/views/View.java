package io.jenkins.plugins.bluegreen.views;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.jelly.JellyContext;
import org.apache.commons.jelly.TagLibrary;
import org.apache.commons.jelly.parser.XMLParser;

/**
 * A Jelly view of the plugin, found under {@code src/main/resources}, with the messages Stapler loads for it from the
 * {@code .properties} file of the same name next to it.
 */
final class View {

    static final Path RESOURCES = Path.of(System.getProperty("plugin.sources", "../../src"), "main", "resources");

    final Path file;

    private View(Path file) {
        this.file = file;
    }

    static List<View> all() {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            List<View> views = files.filter(p -> p.toString().endsWith(".jelly")).sorted().map(View::new).collect(Collectors.toList());
            if (views.isEmpty()) {
                throw new IllegalStateException("no views under " + RESOURCES.toAbsolutePath());
            }
            return views;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path under the resources, e.g. {@code io/jenkins/plugins/bluegreen/steps/SmokeTest/config.jelly}. */
    String name() {
        return RESOURCES.relativize(file).toString().replace('\\', '/');
    }

    @Override
    public String toString() {
        return name();
    }

    /** The class whose view this is (views live in a folder named after it), or null for the plugin's index.jelly. */
    Class<?> owner() throws ClassNotFoundException {
        String folder = name().contains("/") ? name().substring(0, name().lastIndexOf('/')) : "";
        return folder.isEmpty() ? null : Class.forName(folder.replace('/', '.'));
    }

    /** The view's messages: {@code config.properties} next to {@code config.jelly}; empty if there is none. */
    Properties messages() throws IOException {
        Properties p = new Properties();
        Path file = messagesFile();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in); // ISO-8859-1 with \\u escapes, as Stapler's ResourceBundle reads it
            }
        }
        return p;
    }

    Path messagesFile() {
        String jelly = file.getFileName().toString();
        return file.resolveSibling(jelly.substring(0, jelly.length() - ".jelly".length()) + ".properties");
    }

    /** Compiles the view as Stapler would, with {@code expressions} for every expression in it. */
    void compile(StaplerExpressions expressions) throws Exception {
        JellyContext context = new JellyContext();
        // Stapler's own tags; the taglibs of Jenkins (/lib/form, ...) are unknown here and stay static tags, whose
        // attributes are compiled all the same.
        context.registerTagLibrary("jelly:stapler", new TagLibrary() {});
        XMLParser parser = new XMLParser();
        parser.setContext(context);
        parser.setExpressionFactory(expressions);
        parser.parse(file.toFile());
    }
}
