package io.jenkins.plugins.bluegreen.alerting;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher as Alertmanager and PromQL write it: {@code namespace="shop"}, {@code alertname=~"A|B"},
 * {@code severity!="info"}, {@code pod!~"canary-.*"}. A label an alert does not have matches as the empty string,
 * and a regular expression must match the whole value, as both servers anchor it.
 * <p>
 * The record takes any name and value, so that silences others wrote can always be read back; {@link #validated()}
 * checks what a user writes.
 */
public record AlertMatcher(String name, Operator operator, String value) {

    /** The four operators, with the {@code isRegex}/{@code isEqual} flags of Alertmanager's API v2. */
    public enum Operator {
        EQUAL("=", false, true),
        NOT_EQUAL("!=", false, false),
        REGEX("=~", true, true),
        NOT_REGEX("!~", true, false);

        private final String symbol;
        private final boolean regex;
        private final boolean equal;

        Operator(String symbol, boolean regex, boolean equal) {
            this.symbol = symbol;
            this.regex = regex;
            this.equal = equal;
        }

        public String symbol() {
            return symbol;
        }

        public boolean isRegex() {
            return regex;
        }

        public boolean isEqual() {
            return equal;
        }

        /** The operator with these API v2 flags. */
        public static Operator of(boolean isRegex, boolean isEqual) {
            if (isRegex) {
                return isEqual ? REGEX : NOT_REGEX;
            }
            return isEqual ? EQUAL : NOT_EQUAL;
        }
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public AlertMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
    }

    /**
     * This matcher, checked: a label name, and a regular expression that compiles.
     *
     * @throws IllegalArgumentException saying which rule it breaks
     */
    public AlertMatcher validated() {
        if (!LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a label name (letters, digits and '_', not starting with a digit)");
        }
        if (operator.isRegex()) {
            compile(name, value);
        }
        return this;
    }

    public static AlertMatcher equal(String name, String value) {
        return new AlertMatcher(name, Operator.EQUAL, value).validated();
    }

    public static AlertMatcher regex(String name, String value) {
        return new AlertMatcher(name, Operator.REGEX, value).validated();
    }

    public boolean isRegex() {
        return operator.isRegex();
    }

    public boolean isEqual() {
        return operator.isEqual();
    }

    /**
     * Whether a label's value (the empty string when the alert lacks the label) satisfies this matcher.
     *
     * @throws IllegalArgumentException for a regular expression that does not compile
     */
    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        boolean hit = operator.isRegex() ? compile(name, value).matcher(v).matches() : value.equals(v);
        return hit == operator.isEqual();
    }

    /** The matcher as it is written, e.g. {@code alertname=~"A|B"}: valid for Alertmanager filters and for PromQL. */
    @Override
    public String toString() {
        return name + operator.symbol() + quote(value);
    }

    /** A double-quoted string as PromQL and Alertmanager read it: backslash, quote and newline escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\':
                    out.append("\\\\");
                    break;
                case '"':
                    out.append("\\\"");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * Java's regular expressions stand in for Go's RE2 here: they agree on what label matchers use (alternation,
     * classes, repetition). Anything RE2 refuses that Java takes (back-references, look-around) is refused by the
     * server, with its own message.
     */
    private static Pattern compile(String name, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the value of " + name + " is not a valid regular expression ("
                    + e.getDescription() + ")");
        }
    }
}
