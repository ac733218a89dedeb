// Compile-only declaration of jenkins.model.Loadable (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package jenkins.model;

import java.io.IOException;

public interface Loadable {
    void load() throws IOException;
}
