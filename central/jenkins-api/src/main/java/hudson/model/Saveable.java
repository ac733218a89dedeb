// Compile-only declaration of hudson.model.Saveable (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

import java.io.IOException;

public interface Saveable {
    void save() throws IOException;

    Saveable NOOP = () -> {};
}
