package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.testinfra.DataBoundNames;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The example Jenkinsfiles (and the Groovy in docs/steps.md and docs/operations.md) call the steps and the {@code
 * gate}/{@code smokeTest}/{@code helmChart}/{@code chat} objects only with argument names the classes bind, and give every step its required arguments: what a real Jenkins
 * would otherwise refuse only when the Pipeline runs.
 */
class ExamplesTest {

    private static final Map<String, Class<?>> CALLS = Map.of(
            "blueGreenDeploy", BlueGreenDeployStep.class,
            "shiftTraffic", ShiftTrafficStep.class,
            "verifyMetrics", VerifyMetricsStep.class,
            "rollback", RollbackStep.class,
            "gate", MetricGate.class,
            "smokeTest", SmokeTest.class,
            "helmChart", HelmChart.class,
            "chat", ChatNotification.class);

    private static final Pattern CALL = Pattern.compile("\\b(" + String.join("|", CALLS.keySet()) + ")\\b[ \\t]*(\\(|(?=[a-zA-Z]+\\s*:))");

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.isDirectory(p.resolve("src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
    }

    private static Set<String> required(Class<?> c) {
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                return Stream.of(k.getParameters()).map(Parameter::getName).collect(Collectors.toCollection(TreeSet::new));
            }
        }
        return Set.of();
    }

    /**
     * The text of a call's arguments, comments left out: up to the matching parenthesis, or for a call without one,
     * to the end of its line (and the next ones while a line ends with a comma).
     */
    private static String arguments(String text, int from, boolean parenthesised) {
        int depth = parenthesised ? 1 : 0;
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == quote && text.charAt(i - 1) != '\\') {
                    quote = 0;
                }
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
                if (parenthesised && depth == 0) {
                    return out.toString();
                }
            } else if (c == '\n' && !parenthesised && depth == 0 && !out.toString().stripTrailing().endsWith(",")) {
                return out.toString();
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The top-level arguments' names; an argument without a name is {@code <unnamed>}. */
    private static List<String> names(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == quote && args.charAt(i - 1) != '\\') {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString());
        List<String> names = new ArrayList<>();
        Pattern named = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*:(?!:)[\\s\\S]*");
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            Matcher m = named.matcher(p);
            names.add(m.matches() ? m.group(1) : "<unnamed>");
        }
        return names;
    }

    private static List<String> problems(String where, String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            boolean parenthesised = "(".equals(m.group(2));
            String args = arguments(text, m.end(), parenthesised);
            List<String> given = names(args);
            Class<?> type = CALLS.get(name);
            Set<String> known = DataBoundNames.of(type);
            for (String g : given) {
                if (g.equals("<unnamed>")) {
                    if (required(type).size() != 1) {
                        problems.add(where + ": " + name + " takes no unnamed argument");
                    }
                } else if (!known.contains(g)) {
                    problems.add(where + ": " + name + " has no argument '" + g + "' (it has " + known + ")");
                }
            }
            if (!given.contains("<unnamed>") && !given.containsAll(required(type))) {
                problems.add(where + ": " + name + " lacks a required argument of " + required(type) + " in " + given);
            }
        }
        return problems;
    }

    @Test
    void theExampleJenkinsfilesUseOnlyRealArgumentsAndAllRequiredOnes() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(repository().resolve("examples"))) {
            files = s.filter(p -> p.getFileName().toString().equals("Jenkinsfile")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 2, "the two guides' examples: " + files);
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (Path f : files) {
            String text = Files.readString(f);
            assertTrue(text.contains("pipeline {") && text.contains("stages {") || text.contains("steps {"), f + " is declarative");
            calls += (int) CALL.matcher(text).results().count();
            problems.addAll(problems(repository().relativize(f).toString(), text));
        }
        assertTrue(calls > 10, "the examples call the steps: " + calls);
        assertEquals(List.of(), problems);
    }

    @Test
    void theGroovyInTheStepsDocUsesOnlyRealArguments() throws IOException {
        assertEquals(List.of(), docProblems("docs/steps.md"));
    }

    @Test
    void theGroovyInTheOperationsDocUsesOnlyRealArguments() throws IOException {
        assertEquals(List.of(), docProblems("docs/operations.md"));
    }

    private static List<String> docProblems(String path) throws IOException {
        String doc = Files.readString(repository().resolve(path));
        Matcher blocks = Pattern.compile("```groovy\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> problems = new ArrayList<>();
        int n = 0;
        while (blocks.find()) {
            n++;
            problems.addAll(problems(path + " block " + n, blocks.group(1)));
        }
        assertTrue(n > 3, path + " has Groovy blocks");
        return problems;
    }

    @Test
    void theCheckerItselfCatchesAWrongName() {
        assertFalse(problems("x", "shiftTraffic service: 'a', percnt: 5\n").isEmpty());
        assertFalse(problems("x", "blueGreenDeploy(service: 'a', gates: [gate(name: 'e', treshold: 1)])").isEmpty());
        assertFalse(problems("x", "verifyMetrics(window: '5m')").isEmpty(), "service is required");
        assertEquals(List.of(), problems("x", "rollback service: 'a',\n    reason: \"x, y\"\nshiftTraffic(service: 'a', percent: 5)"));
    }
}
