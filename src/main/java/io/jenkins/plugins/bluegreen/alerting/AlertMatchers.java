package io.jenkins.plugins.bluegreen.alerting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A set of label matchers that selects alerts, such as {@code alertname=~"PodNotReady|KubeDeploymentReplicasMismatch",
 * namespace="shop"}: what a rollout silences, or what an alert gate watches. An alert is selected when every matcher
 * matches it.
 * <p>
 * A set must name what it selects. It is refused when it is empty, and when it would select every alert: when no
 * matcher is an equality with a value ({@code namespace="shop"}) or a regular expression that names values
 * ({@code alertname=~"A|B"}). {@code =~".*"}, {@code =~".+"}, {@code =""} and the negative operators ({@code
 * alertname!="Watchdog"}) narrow a set but cannot carry it alone: a silence made of them would hide the alerts of
 * every team.
 */
public record AlertMatchers(List<AlertMatcher> matchers) {

    /** Label values no regular expression that names values would match, all at once. */
    private static final List<String> PROBES = List.of("a", "Z", "0", "kube-system", "PodCrashLooping", "prod_eu.1",
            "jenkins-probe-7f3a");

    /** Longer input is refused before parsing: no real selector is this long. */
    static final int MAX_LENGTH = 4096;

    /** @throws IllegalArgumentException for an empty set, one that selects every alert, or an invalid matcher */
    public AlertMatchers {
        matchers = List.copyOf(Objects.requireNonNull(matchers, "matchers"));
        matchers.forEach(AlertMatcher::validated);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("no alert matchers: name the alerts, e.g. "
                    + "alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\",namespace=\"shop\"");
        }
        if (matchers.stream().noneMatch(AlertMatchers::selects)) {
            throw new IllegalArgumentException("the alert matchers " + join(matchers) + " select every alert: add a "
                    + "matcher that names values, e.g. namespace=\"shop\" or alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\" "
                    + "(=~\".*\", =~\".+\", =\"\", != and !~ only narrow a selection)");
        }
    }

    public static AlertMatchers of(AlertMatcher... matchers) {
        return new AlertMatchers(List.of(matchers));
    }

    /**
     * Parses matchers as PromQL and Alertmanager write them: {@code name op "value"} separated by commas, optionally in
     * braces, with {@code =}, {@code !=}, {@code =~} or {@code !~}. Values are in double (or single) quotes; inside
     * them {@code \"}, {@code \\} and {@code \n} are escapes, and any other backslash is kept as written (as
     * Alertmanager does), so {@code =~"\d+"} means the regular expression {@code \d+}.
     *
     * @throws IllegalArgumentException saying where the text is wrong, or why the set is refused
     */
    public static AlertMatchers parse(String text) {
        if (text == null || text.isBlank()) {
            return new AlertMatchers(List.of());
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the alert matchers are longer than " + MAX_LENGTH + " characters");
        }
        return new AlertMatchers(new Parser(text).matchers());
    }

    /** Whether every matcher matches these labels (a missing label matches as the empty string). */
    public boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels.get(m.name())));
    }

    /** The set as it is written, e.g. {@code alertname=~"A|B",namespace="shop"}: {@link #parse} reads it back. */
    @Override
    public String toString() {
        return join(matchers);
    }

    private static String join(List<AlertMatcher> matchers) {
        return matchers.stream().map(AlertMatcher::toString).collect(Collectors.joining(","));
    }

    /** A matcher that names values: an equality with a value, or a regular expression that matches neither "" nor anything. */
    private static boolean selects(AlertMatcher m) {
        switch (m.operator()) {
            case EQUAL:
                return !m.value().isEmpty();
            case REGEX:
                return !m.matches("") && !PROBES.stream().allMatch(m::matches);
            default:
                return false;
        }
    }

    /** A small recursive-descent reader of the grammar above; errors name the 1-based position. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<AlertMatcher> matchers() {
            List<AlertMatcher> out = new ArrayList<>();
            skipSpace();
            boolean braces = accept('{');
            skipSpace();
            while (i < s.length() && s.charAt(i) != '}') {
                out.add(matcher());
                skipSpace();
                if (!accept(',')) {
                    break;
                }
                skipSpace();
            }
            if (braces && !accept('}')) {
                throw error("expected ',' or '}'");
            }
            skipSpace();
            if (i < s.length()) {
                throw error(out.isEmpty() ? "expected a label name" : "expected ','");
            }
            return out;
        }

        private AlertMatcher matcher() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String name = s.substring(start, i);
            if (name.isEmpty()) {
                throw error("expected a label name");
            }
            skipSpace();
            AlertMatcher.Operator op = operator(name);
            skipSpace();
            String value = quoted(name, op);
            try {
                return new AlertMatcher(name, op, value).validated();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (at position " + (start + 1) + ")", e);
            }
        }

        private AlertMatcher.Operator operator(String name) {
            if (s.startsWith("=~", i)) {
                i += 2;
                return AlertMatcher.Operator.REGEX;
            }
            if (s.startsWith("!~", i)) {
                i += 2;
                return AlertMatcher.Operator.NOT_REGEX;
            }
            if (s.startsWith("!=", i)) {
                i += 2;
                return AlertMatcher.Operator.NOT_EQUAL;
            }
            if (s.startsWith("=", i)) {
                i += 1;
                return AlertMatcher.Operator.EQUAL;
            }
            throw error("expected =, !=, =~ or !~ after " + name);
        }

        private String quoted(String name, AlertMatcher.Operator op) {
            char quote = i < s.length() ? s.charAt(i) : 0;
            if (quote != '"' && quote != '\'') {
                throw error("expected a quoted value after " + name + op.symbol() + ", e.g. " + name + op.symbol() + "\"shop\"");
            }
            int open = i++;
            StringBuilder value = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == quote) {
                    return value.toString();
                }
                if (c == '\\' && i < s.length()) {
                    char next = s.charAt(i++);
                    if (next == 'n') {
                        value.append('\n');
                    } else if (next == '\\' || next == '"' || next == '\'') {
                        value.append(next);
                    } else {
                        value.append('\\').append(next);
                    }
                } else {
                    value.append(c);
                }
            }
            i = open;
            throw error("the value of " + name + " has no closing " + quote);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean accept(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("cannot read the alert matchers: " + what + " at position " + (i + 1));
        }
    }
}
