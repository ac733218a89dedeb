package io.jenkins.plugins.bluegreen.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.bluegreen.views.StaplerExpressions.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Jelly view compiles as Stapler compiles it when a user first opens the page (Jenkins renders views with a fork
 * of commons-jelly 1.1 and commons-jexl 1.1; this uses Jelly 1.0 and JEXL 1.1 from Maven Central), and its messages
 * resolve: a message with arguments, or a plain key such as {@code ${%manifest}}, is defined in the view's {@code
 * .properties}. Text in parentheses cannot be a message's own text, since Stapler takes {@code (} for the start of
 * arguments.
 */
class JellyViewsTest {

    /** A message name rather than display text: Stapler shows an undefined key as it is, so it must be defined. */
    private static final String PLAIN_KEY = "[a-z][A-Za-z0-9]*";

    static List<View> views() {
        return View.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void compilesAsStaplerCompilesIt(View view) {
        try {
            view.compile(new StaplerExpressions());
        } catch (Exception e) {
            fail(view + " does not compile: " + causes(e), e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void messagesWithArgumentsHaveAPlainKeyWithAPlaceholderEach(View view) throws Exception {
        Properties defined = view.messages();
        for (Message m : messages(view)) {
            if (m.arguments().isEmpty()) {
                continue;
            }
            assertTrue(m.key().matches(PLAIN_KEY), view + ": ${%" + m.key() + "(" + String.join(",", m.arguments()) + ")} "
                    + "has text before '(' as its key; put the text into " + view.messagesFile().getFileName() + " under a plain key");
            String pattern = defined.getProperty(m.key());
            assertTrue(pattern != null && !pattern.isEmpty(), view + ": " + m.key() + " is not defined, so Stapler shows the key and drops "
                    + m.arguments());
            assertEquals(m.arguments().size(), new MessageFormat(pattern).getFormatsByArgumentIndex().length,
                    view + ": placeholders of " + m.key() + "=" + pattern);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void plainKeysAreDefinedAndEveryDefinitionIsUsed(View view) throws Exception {
        Properties defined = view.messages();
        Set<String> used = new TreeSet<>();
        for (Message m : messages(view)) {
            used.add(m.key());
            if (m.arguments().isEmpty() && m.key().matches(PLAIN_KEY)) {
                String text = defined.getProperty(m.key());
                assertTrue(text != null && !text.isEmpty(), view + ": ${%" + m.key() + "} is not defined in "
                        + view.messagesFile().getFileName() + ", so the page would show '" + m.key() + "'");
                // Stapler formats a defined message even without arguments: quotes and braces would be eaten.
                assertEquals(text, new MessageFormat(text).format(new Object[0]), view + ": " + m.key() + "=" + text);
            }
        }
        assertEquals(Set.of(), defined.stringPropertyNames().stream().filter(k -> !used.contains(k)).collect(Collectors.toSet()),
                view.messagesFile().getFileName() + " defines messages " + view + " does not use");
    }

    /** Stapler reads a view's properties as ISO-8859-1: anything else must be a \\u escape. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void messagesAreAscii(View view) throws Exception {
        if (Files.exists(view.messagesFile())) {
            String text = Files.readString(view.messagesFile(), StandardCharsets.ISO_8859_1);
            assertTrue(text.chars().allMatch(c -> c < 0x80), view.messagesFile() + " has a character that is not ASCII");
        }
    }

    private static List<Message> messages(View view) throws Exception {
        StaplerExpressions expressions = new StaplerExpressions();
        view.compile(expressions);
        return expressions.messages();
    }

    private static String causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
            if (t.getMessage() != null && !messages.contains(t.getMessage())) {
                messages.add(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return String.join(" <- ", messages);
    }
}
