// Compile-only declaration of hudson.model.InvisibleAction (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

public abstract class InvisibleAction implements Action {
    @Override
    public final String getIconFileName() {
        return null;
    }

    @Override
    public final String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
