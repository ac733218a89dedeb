package io.jenkins.plugins.bluegreen.views;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.jelly.JellyException;
import org.apache.commons.jelly.expression.ConstantExpression;
import org.apache.commons.jelly.expression.Expression;
import org.apache.commons.jelly.expression.ExpressionFactory;

/**
 * Compiles the expressions of a Jelly view as Stapler's Jelly parser does (stapler {@code CustomJellyContext} and
 * {@code InternationalizedStringExpression}): {@code ${%text}} is a localized message, anything else a JEXL expression
 * ({@link JenkinsJexl}). A message's key is its text up to the first {@code (}; from there on come arguments, split at commas
 * outside brackets and quotes up to the closing {@code )}, and each of them is compiled as JEXL. So {@code
 * ${%Manifest (workspace path)}} is the message {@code "Manifest "} with the argument {@code workspace path}, which is
 * not JEXL, and the page fails when it is first rendered. Records every message it compiles.
 */
final class StaplerExpressions implements ExpressionFactory {

    /** A {@code ${%...}} of a view: its key and the text of its arguments. */
    record Message(String key, List<String> arguments) {}

    private final ExpressionFactory jexl = new JenkinsJexl();
    private final List<Message> messages = new ArrayList<>();

    @Override
    public Expression createExpression(String text) throws JellyException {
        if (text.startsWith("%")) {
            return message(text);
        }
        return jexl.createExpression(text);
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    private Expression message(String text) throws JellyException {
        String body = text.substring(1);
        int open = body.indexOf('(');
        if (open < 0) {
            messages.add(new Message(body, List.of()));
            return new ConstantExpression(body);
        }
        List<String> arguments = arguments(text, body.substring(open + 1));
        for (String argument : arguments) {
            try {
                jexl.createExpression(argument);
            } catch (JellyException e) {
                throw new JellyException("${" + text + "}: Stapler reads the key '" + body.substring(0, open)
                        + "' and the argument '" + argument + "', which is not an expression", e);
            }
        }
        messages.add(new Message(body.substring(0, open), arguments));
        return new ConstantExpression(body.substring(0, open));
    }

    /** {@code rest} is what follows the {@code (}: arguments up to the matching {@code )}, which must end the text. */
    private static List<String> arguments(String text, String rest) throws JellyException {
        List<String> arguments = new ArrayList<>();
        int start = 0;
        int depth = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '"' || c == '\'') {
                int close = rest.indexOf(c, i + 1);
                if (close < 0) {
                    break;
                }
                i = close;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ',') && depth == 0) {
                arguments.add(rest.substring(start, i));
                start = i + 1;
                if (c == ')') {
                    if (start != rest.length()) {
                        // Stapler reads on for another argument and finds no ')' for it.
                        break;
                    }
                    return arguments;
                }
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        throw new JellyException("${" + text + "} is missing ')' at the end");
    }
}
