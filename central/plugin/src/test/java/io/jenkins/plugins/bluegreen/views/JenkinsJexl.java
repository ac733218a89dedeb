package io.jenkins.plugins.bluegreen.views;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.commons.jelly.JellyException;
import org.apache.commons.jelly.expression.ConstantExpression;
import org.apache.commons.jelly.expression.Expression;
import org.apache.commons.jelly.expression.ExpressionFactory;
import org.apache.commons.jelly.expression.jexl.JexlExpressionFactory;

/**
 * Compiles an expression as Jenkins' JEXL does: Jenkins uses a fork of commons-jexl 1.1 ({@code
 * org.jenkins-ci:commons-jexl:1.1-jenkins-20111212}, only in the Jenkins repository) that adds the conditional {@code
 * a ? b : c} and {@code a ?: b} operators, which views use everywhere. This splits an expression at those operators,
 * outside quotes, innermost brackets first, and compiles each operand with JEXL 1.1 from Maven Central.
 */
final class JenkinsJexl implements ExpressionFactory {

    private final ExpressionFactory jexl = new JexlExpressionFactory();

    @Override
    public Expression createExpression(String text) throws JellyException {
        String flat = text;
        for (String inner = nextConditionalGroup(flat); inner != null; inner = nextConditionalGroup(flat)) {
            createExpression(inner);
            flat = flat.replace(inner, " _ ");
        }
        return conditional(flat);
    }

    /** The content of the first bracket pair whose own level has a {@code ?}: the innermost such group. */
    private static String nextConditionalGroup(String text) {
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = Math.max(i, text.indexOf(c, i + 1));
            } else if (c == '(' || c == '[') {
                open.push(i);
            } else if ((c == ')' || c == ']') && !open.isEmpty()) {
                String inner = text.substring(open.pop() + 1, i);
                if (topLevel(inner, 0, '?') >= 0) {
                    return inner;
                }
            }
        }
        return null;
    }

    private Expression conditional(String text) throws JellyException {
        int question = topLevel(text, 0, '?');
        if (question < 0) {
            return jexl.createExpression(text);
        }
        createExpression(text.substring(0, question));
        if (question + 1 < text.length() && text.charAt(question + 1) == ':') {
            createExpression(text.substring(question + 2));
        } else {
            int colon = matchingColon(text, question + 1);
            if (colon < 0) {
                throw new JellyException("'?' without ':' in " + text);
            }
            createExpression(text.substring(question + 1, colon));
            createExpression(text.substring(colon + 1));
        }
        return new ConstantExpression(text);
    }

    /** The first {@code wanted} at {@code from} or after that is outside brackets and quotes, or -1. */
    private static int topLevel(String text, int from, char wanted) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = Math.max(i, text.indexOf(c, i + 1));
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == wanted && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code :} that closes the {@code ?} just before {@code from}, skipping nested conditionals. */
    private static int matchingColon(String text, int from) {
        int open = 0;
        for (int i = from; i < text.length(); i++) {
            int q = topLevel(text, i, '?');
            int c = topLevel(text, i, ':');
            if (c < 0) {
                return -1;
            }
            if (q >= 0 && q < c) {
                open += q + 1 < text.length() && text.charAt(q + 1) == ':' ? 0 : 1;
                i = q + (text.charAt(q + 1) == ':' ? 1 : 0);
            } else if (open == 0) {
                return c;
            } else {
                open--;
                i = c;
            }
        }
        return -1;
    }
}
