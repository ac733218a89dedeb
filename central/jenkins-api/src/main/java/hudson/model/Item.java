// Compile-only declaration of hudson.model.Item (Jenkins core 2.541.x); the real one also extends PersistenceRoot
// and SearchableModelObject, and declares many more members. Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import jenkins.util.io.OnMaster;

@SuppressWarnings("deprecation")
public interface Item extends AccessControlled, OnMaster {
    ItemGroup<? extends Item> getParent();

    PermissionGroup PERMISSIONS = new PermissionGroup(Item.class, null);
    Permission CREATE = new Permission(PERMISSIONS, "Create", Permission.CREATE);
    Permission DELETE = new Permission(PERMISSIONS, "Delete", Permission.DELETE);
    Permission CONFIGURE = new Permission(PERMISSIONS, "Configure", Permission.CONFIGURE);
    Permission READ = new Permission(PERMISSIONS, "Read", Permission.READ);
    Permission DISCOVER = new Permission(PERMISSIONS, "Discover", READ);
    Permission EXTENDED_READ = new Permission(PERMISSIONS, "ExtendedRead", CONFIGURE);
    Permission BUILD = new Permission(PERMISSIONS, "Build", Permission.UPDATE);
    Permission WORKSPACE = new Permission(PERMISSIONS, "Workspace", Permission.READ);
    Permission CANCEL = new Permission(PERMISSIONS, "Cancel", Permission.UPDATE);
}
