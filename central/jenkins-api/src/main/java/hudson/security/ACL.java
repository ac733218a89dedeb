// Compile-only declaration of hudson.security.ACL (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: permission checks against the Spring Security context, as the real class does them.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.function.BiFunction;
import jenkins.model.Jenkins;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

public abstract class ACL {
    public static final Authentication SYSTEM2 = new UsernamePasswordAuthenticationToken("SYSTEM", "SYSTEM");

    public final void checkPermission(@NonNull Permission p) {
        Authentication a = Jenkins.getAuthentication2();
        if (a.equals(SYSTEM2)) {
            return;
        }
        if (!hasPermission2(a, p)) {
            throw new AccessDeniedException(a.getName() + " is missing the " + p.group.owner.getSimpleName() + "/" + p.name + " permission");
        }
    }

    public final void checkAnyPermission(@NonNull Permission... permissions) {
        if (!hasAnyPermission(permissions)) {
            throw new AccessDeniedException(Jenkins.getAuthentication2().getName() + " is missing a permission");
        }
    }

    public final boolean hasPermission(@NonNull Permission p) {
        Authentication a = Jenkins.getAuthentication2();
        return a.equals(SYSTEM2) || hasPermission2(a, p);
    }

    public final boolean hasAnyPermission(@NonNull Permission... permissions) {
        for (Permission p : permissions) {
            if (hasPermission(p)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasPermission2(@NonNull Authentication a, @NonNull Permission permission) {
        throw new AbstractMethodError("implement hasPermission2");
    }

    public static ACL lambda2(final BiFunction<Authentication, Permission, Boolean> impl) {
        return new ACL() {
            @Override
            public boolean hasPermission2(@NonNull Authentication a, @NonNull Permission permission) {
                return impl.apply(a, permission);
            }
        };
    }

    @NonNull
    public static ACLContext as2(@NonNull Authentication auth) {
        ACLContext context = new ACLContext(SecurityContextHolder.getContext());
        SecurityContext next = SecurityContextHolder.createEmptyContext();
        next.setAuthentication(auth);
        SecurityContextHolder.setContext(next);
        return context;
    }

    public static boolean isAnonymous2(@NonNull Authentication authentication) {
        return authentication instanceof AnonymousAuthenticationToken;
    }
}
