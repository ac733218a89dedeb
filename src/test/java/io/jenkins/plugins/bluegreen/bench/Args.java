package io.jenkins.plugins.bluegreen.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TEST CODE: the benchmarks' arguments, {@code which --flag value} or {@code --flag=value}. Hand-parsed: no CLI
 * library is on the test classpath, and a handful of numeric flags do not need one.
 */
final class Args {

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> flags = new LinkedHashMap<>();
    private final Set<String> read = new TreeSet<>();

    private Args() {
    }

    static Args parse(String... argv) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i].trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.startsWith("--")) {
                a.words.add(s);
                continue;
            }
            int eq = s.indexOf('=');
            if (eq > 0) {
                a.flags.put(s.substring(2, eq), s.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                a.flags.put(s.substring(2), argv[++i]);
            } else {
                throw new IllegalArgumentException("the flag " + s + " needs a value");
            }
        }
        return a;
    }

    List<String> words() {
        return List.copyOf(words);
    }

    String string(String name, String fallback) {
        read.add(name);
        return flags.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = string(name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }

    double decimal(String name, double fallback) {
        String v = string(name, null);
        return v == null ? fallback : Double.parseDouble(v);
    }

    /** A duration in seconds ({@code 30}, {@code 0.5}). */
    Duration seconds(String name, Duration fallback) {
        String v = string(name, null);
        return v == null ? fallback : Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    /** A comma-separated list of integers ({@code 50,200,500}). */
    List<Integer> integers(String name, List<Integer> fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }

    /** Fails on a flag no benchmark asked for: a typo must not silently run the defaults. */
    void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(flags.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown flags: --" + String.join(", --", unknown));
        }
    }
}
