// Compile-only declaration of jenkins.model.CauseOfInterruption (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: UserInterruption's short description is core's message "Aborted by {0}" with the user ID, as the real one.
package jenkins.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.TaskListener;
import java.io.Serializable;

public abstract class CauseOfInterruption implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract String getShortDescription();

    public void print(TaskListener listener) {
        listener.getLogger().println(getShortDescription());
    }

    public static final class UserInterruption extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;

        private final String user;

        public UserInterruption(@NonNull String userId) {
            this.user = userId;
        }

        @NonNull
        public String getUserId() {
            return user;
        }

        @Override
        public String getShortDescription() {
            return "Aborted by " + user;
        }
    }
}
