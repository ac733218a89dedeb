// Compile-only declaration of hudson.util.Secret (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: holds the value in memory; the "encrypted" form here is only an encoding, enough for tests.
package hudson.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String value;

    Secret(String value) {
        this.value = value;
    }

    @Override
    @Deprecated
    public String toString() {
        return value;
    }

    @NonNull
    public String getPlainText() {
        return value;
    }

    public String getEncryptedValue() {
        return "{" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "}";
    }

    @CheckForNull
    public static Secret decrypt(@CheckForNull String data) {
        if (data == null || !data.startsWith("{") || !data.endsWith("}")) {
            return null;
        }
        return new Secret(new String(Base64.getDecoder().decode(data.substring(1, data.length() - 1)), StandardCharsets.UTF_8));
    }

    @NonNull
    public static Secret fromString(@CheckForNull String data) {
        Secret s = decrypt(data);
        return s != null ? s : new Secret(data == null ? "" : data);
    }

    @NonNull
    public static String toString(@CheckForNull Secret s) {
        return s == null ? "" : s.value;
    }

    @Override
    public boolean equals(Object that) {
        return that instanceof Secret && value.equals(((Secret) that).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
