// Compile-only declaration of hudson.security.PermissionGroup (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import org.jvnet.localizer.Localizable;

public final class PermissionGroup {
    @SuppressWarnings("rawtypes")
    public final @NonNull Class owner;

    public final Localizable title;

    public PermissionGroup(@NonNull @SuppressWarnings("rawtypes") Class owner, Localizable title) throws IllegalStateException {
        this.owner = owner;
        this.title = title;
    }
}
