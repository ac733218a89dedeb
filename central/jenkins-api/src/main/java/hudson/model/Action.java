// Compile-only declaration of hudson.model.Action (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Left out: the newer default methods getDescription(), getGroup(), getEvent(), getSemantic(), isVisibleInContextMenu()
// (their types are not declared).
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public interface Action extends ModelObject {
    @CheckForNull
    String getIconFileName();

    @Override
    @CheckForNull
    String getDisplayName();

    @CheckForNull
    String getUrlName();
}
