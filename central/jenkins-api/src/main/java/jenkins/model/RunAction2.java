// Compile-only declaration of jenkins.model.RunAction2 (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
