// Compile-only declaration of hudson.EnvVars (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour as in the real class: keys are case-insensitive, null values are rejected, override() handles PATH+XYZ,
// expand() replaces $VAR, ${VAR} and ${a.b} and turns $$ into $, leaving unknown variables as they are.
// Left out: getPlatform/setPlatform (Platform), overrideExpandingAll, resolve, createCookie, getRemote (VirtualChannel),
// masterEnvVars.
package hudson;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 4320331661987259022L;

    /** $NAME, ${NAME} (dots allowed inside braces) or $$. */
    private static final Pattern REFERENCE = Pattern.compile("\\$(?:([A-Za-z0-9_]+)|\\{([A-Za-z0-9_.]+)\\}|(\\$))");

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(@NonNull Map<String, String> m) {
        this();
        putAll(m);
    }

    public EnvVars(@NonNull EnvVars m) {
        this((Map<String, String>) m);
    }

    public EnvVars(String... keyValuePairs) {
        this();
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(String.join(", ", keyValuePairs));
        }
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            put(keyValuePairs[i], keyValuePairs[i + 1]);
        }
    }

    public void override(String key, String value) {
        if (value == null || value.isEmpty()) {
            remove(key);
            return;
        }
        int plus = key.indexOf('+');
        if (plus <= 0) {
            put(key, value);
            return;
        }
        // PATH+XYZ=value prepends value to PATH
        String realKey = key.substring(0, plus);
        String existing = get(realKey);
        put(realKey, existing == null ? value : value + File.pathSeparatorChar + existing);
    }

    public EnvVars overrideAll(Map<String, String> all) {
        all.forEach(this::override);
        return this;
    }

    public String get(String key, String defaultValue) {
        String value = get(key);
        return value != null ? value : defaultValue;
    }

    @Override
    public String put(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Null value not allowed as an environment variable: " + key);
        }
        return super.put(key, value);
    }

    public void putIfNotNull(String key, String value) {
        if (value != null) {
            put(key, value);
        }
    }

    public void putAllNonNull(Map<String, String> map) {
        map.forEach(this::putIfNotNull);
    }

    public void addLine(String line) {
        int eq = line.indexOf('=');
        if (eq > 0) {
            put(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    public String expand(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = REFERENCE.matcher(s);
        int copied = 0;
        while (m.find()) {
            String replacement;
            if (m.group(3) != null) {
                replacement = "$";
            } else {
                replacement = get(m.group(1) != null ? m.group(1) : m.group(2));
            }
            if (replacement != null) { // substituted values are not expanded again
                out.append(s, copied, m.start()).append(replacement);
                copied = m.end();
            }
        }
        return out.append(s, copied, s.length()).toString();
    }
}
