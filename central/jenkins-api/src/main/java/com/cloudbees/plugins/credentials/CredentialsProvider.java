// Compile-only declaration of com.cloudbees.plugins.credentials.CredentialsProvider (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
// The real class also implements org.jenkins.ui.icon.IconSpec, which the plugin does not need.
// Behaviour: the static lookups ask every CredentialsProvider in ExtensionList.lookup(CredentialsProvider.class),
// as the real ones do (without the enabled/applicable filters, resolvers and parameter expressions).
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.util.ListBoxModel;
import java.text.Collator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

@SuppressWarnings({"rawtypes", "unchecked", "deprecation"})
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

    private static final PermissionGroup PERMISSIONS = new PermissionGroup(CredentialsProvider.class, null);

    public static final Permission USE_OWN = new Permission(PERMISSIONS, "UseOwn", Item.BUILD);

    public static final Permission USE_ITEM = new Permission(PERMISSIONS, "UseItem", Item.CONFIGURE);

    public static final Permission VIEW = new Permission(PERMISSIONS, "View", Permission.READ);

    public CredentialsProvider() {
        super(Descriptor.self());
    }

    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(@NonNull Class<C> type,
                                                                               @Nullable ItemGroup itemGroup,
                                                                               @Nullable Authentication authentication) {
        return lookupCredentialsInItemGroup(type, itemGroup, authentication, List.of());
    }

    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(@NonNull Class<C> type,
                                                                               @Nullable ItemGroup itemGroup,
                                                                               @Nullable Authentication authentication,
                                                                               @Nullable List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(type);
        ItemGroup group = itemGroup == null ? Jenkins.get() : itemGroup;
        Authentication auth = authentication == null ? ACL.SYSTEM2 : authentication;
        List<DomainRequirement> requirements = domainRequirements == null ? List.of() : domainRequirements;
        List<C> result = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (CredentialsProvider provider : ExtensionList.lookup(CredentialsProvider.class)) {
            for (C c : provider.getCredentialsInItemGroup(type, group, auth, requirements)) {
                addUnique(type, c, ids, result);
            }
        }
        return result;
    }

    public static <C extends IdCredentials> ListBoxModel listCredentialsInItemGroup(@NonNull Class<C> type,
                                                                                    @Nullable ItemGroup itemGroup,
                                                                                    @Nullable Authentication authentication,
                                                                                    @Nullable List<DomainRequirement> domainRequirements,
                                                                                    @Nullable CredentialsMatcher matcher) {
        return toListBoxModel(lookupCredentialsInItemGroup(type, itemGroup, authentication, domainRequirements), matcher);
    }

    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItem(@NonNull Class<C> type,
                                                                          @Nullable Item item,
                                                                          @Nullable Authentication authentication) {
        return lookupCredentialsInItem(type, item, authentication, List.of());
    }

    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItem(@NonNull Class<C> type,
                                                                          @Nullable Item item,
                                                                          @Nullable Authentication authentication,
                                                                          @Nullable List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(type);
        if (item == null) {
            return lookupCredentialsInItemGroup(type, Jenkins.get(), authentication, domainRequirements);
        }
        if (item instanceof ItemGroup) {
            return lookupCredentialsInItemGroup(type, (ItemGroup) item, authentication, domainRequirements);
        }
        Authentication auth = authentication == null ? ACL.SYSTEM2 : authentication;
        List<DomainRequirement> requirements = domainRequirements == null ? List.of() : domainRequirements;
        List<C> result = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (CredentialsProvider provider : ExtensionList.lookup(CredentialsProvider.class)) {
            for (C c : provider.getCredentialsInItem(type, item, auth, requirements)) {
                addUnique(type, c, ids, result);
            }
        }
        return result;
    }

    @NonNull
    public static <C extends IdCredentials> ListBoxModel listCredentialsInItem(@NonNull Class<C> type,
                                                                               @Nullable Item item,
                                                                               @Nullable Authentication authentication,
                                                                               @Nullable List<DomainRequirement> domainRequirements,
                                                                               @Nullable CredentialsMatcher matcher) {
        return toListBoxModel(lookupCredentialsInItem(type, item, authentication, domainRequirements), matcher);
    }

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialByIdInItemGroup(@NonNull String id,
                                                                            @NonNull Class<C> type,
                                                                            @Nullable ItemGroup<?> itemGroup,
                                                                            @Nullable Authentication authentication,
                                                                            @Nullable List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(id);
        return firstWithId(id, lookupCredentialsInItemGroup(type, itemGroup, authentication, domainRequirements));
    }

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialByIdInItem(@NonNull String id,
                                                                       @NonNull Class<C> type,
                                                                       @Nullable Item item,
                                                                       @Nullable Authentication authentication,
                                                                       @Nullable List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(id);
        return firstWithId(id, lookupCredentialsInItem(type, item, authentication, domainRequirements));
    }

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(@NonNull String id, @NonNull Class<C> type,
                                                                 @NonNull Run<?, ?> run) {
        return findCredentialById(id, type, run, List.of());
    }

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(@NonNull String id, @NonNull Class<C> type,
                                                                 @NonNull Run<?, ?> run,
                                                                 @Nullable List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        Objects.requireNonNull(run);
        // The job's default authentication (ACL.SYSTEM2 unless a QueueItemAuthenticator says otherwise).
        Item job = run.getParent();
        C credential = findCredentialByIdInItem(id.trim(), type, job, ACL.SYSTEM2, domainRequirements);
        if (credential != null) {
            Credentials contextualized = credential.forRun(run);
            if (type.isInstance(contextualized)) {
                return type.cast(contextualized);
            }
        }
        return credential;
    }

    @CheckForNull
    public static <C extends Credentials> C track(@NonNull Run build, @CheckForNull C credentials) {
        return credentials;
    }

    @Override
    public Descriptor<CredentialsProvider> getDescriptor() {
        return this;
    }

    @NonNull
    public <C extends Credentials> List<C> getCredentialsInItemGroup(@NonNull Class<C> type,
                                                                     @Nullable ItemGroup itemGroup,
                                                                     @Nullable Authentication authentication,
                                                                     @NonNull List<DomainRequirement> domainRequirements) {
        return Collections.emptyList();
    }

    @NonNull
    public <C extends Credentials> List<C> getCredentialsInItem(@NonNull Class<C> type,
                                                                @NonNull Item item,
                                                                @Nullable Authentication authentication,
                                                                @NonNull List<DomainRequirement> domainRequirements) {
        // as the real default: the credentials of the item's parent group
        return getCredentialsInItemGroup(type, item instanceof ItemGroup ? (ItemGroup) item : item.getParent(),
                authentication, domainRequirements);
    }

    private static <C extends Credentials> void addUnique(Class<C> type, C c, Set<String> ids, List<C> result) {
        if (type.isInstance(c) && (!(c instanceof IdCredentials) || ids.add(((IdCredentials) c).getId()))) {
            result.add(c);
        }
    }

    @CheckForNull
    private static <C extends IdCredentials> C firstWithId(String id, List<C> candidates) {
        for (C c : candidates) {
            if (id.equals(c.getId())) {
                return c;
            }
        }
        return null;
    }

    private static <C extends IdCredentials> ListBoxModel toListBoxModel(List<C> credentials,
                                                                         @CheckForNull CredentialsMatcher matcher) {
        ListBoxModel result = new ListBoxModel();
        for (C c : credentials) {
            if (matcher == null || matcher.matches(c)) {
                result.add(new ListBoxModel.Option(nameOf(c), c.getId()));
            }
        }
        Collator collator = Collator.getInstance();
        result.sort((a, b) -> collator.compare(a.name, b.name));
        return result;
    }

    private static String nameOf(IdCredentials c) {
        if (c instanceof StandardCredentials) {
            String description = ((StandardCredentials) c).getDescription();
            if (description != null && !description.trim().isEmpty()) {
                return description.trim();
            }
        }
        return c.getId();
    }
}
