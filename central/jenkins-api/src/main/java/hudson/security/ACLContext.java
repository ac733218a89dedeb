// Compile-only declaration of hudson.security.ACLContext (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

public class ACLContext implements AutoCloseable {
    private final @NonNull SecurityContext previousContext;

    ACLContext(@NonNull SecurityContext previousContext) {
        this.previousContext = previousContext;
    }

    @NonNull
    public SecurityContext getPreviousContext2() {
        return previousContext;
    }

    @Override
    public void close() {
        SecurityContextHolder.setContext(previousContext);
    }
}
