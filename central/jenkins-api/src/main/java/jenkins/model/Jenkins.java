// Compile-only declaration of jenkins.model.Jenkins (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// The real class extends AbstractCIBase and reaches ItemGroup<TopLevelItem> through
// DirectlyModifiableTopLevelItemGroup; only the supertypes the plugin relies on are declared.
// Behaviour: the constructor registers the instance that get() returns (tests subclass it, overriding
// getACL(), getExtensionList(), getDescriptorOrDie() and getRootUrl()); getAuthentication2() reads Spring Security's context;
// getProxy() answers what setProxy() was given.
package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionList;
import hudson.ProxyConfiguration;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.IOException;
import java.util.Set;
import jenkins.util.io.OnMaster;
import org.jvnet.hudson.reactor.ReactorException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

@SuppressWarnings({"rawtypes", "deprecation"})
public class Jenkins implements ItemGroup<TopLevelItem>, AccessControlled, OnMaster {
    private static volatile Jenkins theInstance;
    private volatile ProxyConfiguration proxy; // public in the real class; only getProxy() and setProxy() are declared

    public static final PermissionGroup PERMISSIONS = Permission.HUDSON_PERMISSIONS;
    public static final Permission ADMINISTER = Permission.HUDSON_ADMINISTER;
    public static final Permission MANAGE = new Permission(PERMISSIONS, "Manage", ADMINISTER);
    public static final Permission SYSTEM_READ = new Permission(PERMISSIONS, "SystemRead", ADMINISTER);
    public static final Permission READ = new Permission(PERMISSIONS, "Read", Permission.READ);
    public static final Authentication ANONYMOUS2 = new AnonymousAuthenticationToken(
            "anonymous", "anonymous", Set.of(new SimpleGrantedAuthority("anonymous")));

    protected Jenkins(File root, ServletContext context) throws IOException, InterruptedException, ReactorException {
        theInstance = this;
    }

    @NonNull
    public static Jenkins get() throws IllegalStateException {
        Jenkins instance = theInstance;
        if (instance == null) {
            throw new IllegalStateException("Jenkins.instance is missing. Read the documentation of Jenkins.getInstanceOrNull to see what you are doing wrong.");
        }
        return instance;
    }

    @CheckForNull
    public static Jenkins getInstanceOrNull() {
        return theInstance;
    }

    @NonNull
    public static Authentication getAuthentication2() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null ? ANONYMOUS2 : a;
    }

    @NonNull
    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("declaration only");
    }

    public <T> ExtensionList<T> getExtensionList(Class<T> extensionType) {
        throw new UnsupportedOperationException("declaration only");
    }

    @NonNull
    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) {
        throw new UnsupportedOperationException("declaration only");
    }

    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        throw new UnsupportedOperationException("declaration only");
    }

    @Nullable
    public String getRootUrl() throws IllegalStateException {
        throw new UnsupportedOperationException("declaration only");
    }

    @CheckForNull
    public ProxyConfiguration getProxy() {
        return proxy;
    }

    public void setProxy(@CheckForNull ProxyConfiguration proxy) {
        this.proxy = proxy;
    }

    @Override
    public String getDisplayName() {
        return "Jenkins";
    }
}
