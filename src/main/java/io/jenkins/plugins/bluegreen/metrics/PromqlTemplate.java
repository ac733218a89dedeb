package io.jenkins.plugins.bluegreen.metrics;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${service}}, {@code ${namespace}} and {@code ${color}} into PromQL. Deliberately dumb: the only
 * variables are those three, and a value may only be lower-case letters, digits and '-' (what Kubernetes names
 * and our colours are). That keeps every value inside its label matcher's quotes, so a service called
 * {@code a"}or vector(1)#} cannot rewrite the query (PromQL injection); no escaping rules to get wrong.
 */
public final class PromqlTemplate {

    public static final Set<String> VARIABLES = Set.of("service", "namespace", "color");

    private static final Pattern SAFE_VALUE = Pattern.compile("[a-z0-9-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private PromqlTemplate() {
    }

    /**
     * @throws IllegalArgumentException for an unknown or unset variable, or a value outside {@code [a-z0-9-]+}
     */
    public static String render(String template, Map<String, String> values) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("the PromQL query is empty");
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!VARIABLES.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown PromQL variable '" + e.getKey() + "' (known: service, namespace, color)");
            }
            String v = e.getValue();
            if (v != null && !SAFE_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("the " + e.getKey() + " '" + v + "' cannot be put into PromQL: "
                        + "only lower-case letters, digits and '-' are allowed");
            }
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!VARIABLES.contains(name)) {
                throw new IllegalArgumentException("unknown PromQL variable ${" + name + "} (known: ${service}, ${namespace}, ${color})");
            }
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("the PromQL query uses ${" + name + "} but no " + name + " is set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
