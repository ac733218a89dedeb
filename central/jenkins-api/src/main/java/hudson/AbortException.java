// Compile-only declaration of hudson.AbortException (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Not final in current core (older releases declared it final).
package hudson;

import java.io.IOException;

public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {}

    public AbortException(String message) {
        super(message);
    }
}
