package io.jenkins.plugins.bluegreen.testkit;

import hudson.ExtensionList;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.Permission;
import java.io.File;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A test implementation of the declared {@link Jenkins}: an extension registry and a project-matrix-style
 * authorization strategy (permissions granted per user everywhere or on one item, with implication through
 * {@link Permission#impliedBy} as the real strategies do). Constructing one makes it {@link Jenkins#get()}.
 */
public final class TestJenkins extends Jenkins {

    private final Map<Class<?>, ExtensionList<?>> extensions = new HashMap<>();
    private final Map<String, Set<Permission>> grants = new HashMap<>();
    private final Map<Item, Map<String, Set<Permission>>> itemGrants = new HashMap<>();
    private volatile String rootUrl = "https://jenkins.example.com/";

    private TestJenkins(File root) throws Exception {
        super(root, null);
    }

    public static TestJenkins install() throws Exception {
        return new TestJenkins(Files.createTempDirectory("jenkins-home").toFile());
    }

    /** Registers an extension, as {@code @Extension} discovery would. */
    @SuppressWarnings("deprecation")
    public <T> TestJenkins register(Class<T> type, T instance) {
        getExtensionList(type).add(instance);
        return this;
    }

    /** Sets the URL Jenkins knows itself by (Manage Jenkins » System » Jenkins URL); null: none configured. */
    public TestJenkins rootUrl(String url) {
        this.rootUrl = url;
        return this;
    }

    /** Grants permissions to a user name. */
    public TestJenkins grant(String user, Permission... permissions) {
        grants.computeIfAbsent(user, u -> new HashSet<>()).addAll(List.of(permissions));
        return this;
    }

    /** Grants permissions to a user name on one item only, as a job's own authorization matrix would. */
    public TestJenkins grantOn(Item item, String user, Permission... permissions) {
        itemGrants.computeIfAbsent(item, i -> new HashMap<>()).computeIfAbsent(user, u -> new HashSet<>()).addAll(List.of(permissions));
        return this;
    }

    /** What {@code user} may do on {@code item}: what is granted everywhere, and what is granted on the item. */
    public ACL aclOf(Item item) {
        return ACL.lambda2((a, p) -> allows(grants, a, p)
                || allows(itemGrants.getOrDefault(item, Map.of()), a, p));
    }

    /** Runs as the named user until the returned context is closed. */
    public static ACLContext as(String user) {
        Authentication auth = new UsernamePasswordAuthenticationToken(user, "", List.of(new SimpleGrantedAuthority("authenticated")));
        return ACL.as2(auth);
    }

    private static boolean allows(Map<String, Set<Permission>> grants, Authentication a, Permission p) {
        Set<Permission> granted = grants.getOrDefault(a.getName(), Set.of());
        for (Permission q = p; q != null; q = q.impliedBy) {
            if (granted.contains(q)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String getRootUrl() {
        return rootUrl;
    }

    @Override
    public ACL getACL() {
        return ACL.lambda2((a, p) -> allows(grants, a, p));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ExtensionList<T> getExtensionList(Class<T> type) {
        return (ExtensionList<T>) extensions.computeIfAbsent(type, t -> ExtensionList.create(this, t));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) {
        for (Descriptor d : getExtensionList(Descriptor.class)) {
            if (d.clazz == type) {
                return d;
            }
        }
        throw new AssertionError(type + " is missing its descriptor");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        for (Descriptor d : getExtensionList(Descriptor.class)) {
            if (d.getClass() == type) {
                return type.cast(d);
            }
        }
        return null;
    }
}
