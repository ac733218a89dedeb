// Compile-only declaration of com.cloudbees.plugins.credentials.CredentialsMatchers (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: as the real matchers (ConstantMatcher, NotMatcher, InstanceOfMatcher, IdMatcher, AllOfMatcher,
// AnyOfMatcher), implemented here as private records.
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class CredentialsMatchers {

    private CredentialsMatchers() {
        throw new UnsupportedOperationException("Utility class");
    }

    @NonNull
    public static CredentialsMatcher always() {
        return new Constant(true);
    }

    @NonNull
    public static CredentialsMatcher never() {
        return new Constant(false);
    }

    @NonNull
    public static CredentialsMatcher not(@NonNull CredentialsMatcher matcher) {
        return new Not(matcher);
    }

    @NonNull
    @SuppressWarnings("rawtypes")
    public static CredentialsMatcher instanceOf(@NonNull Class clazz) {
        return new InstanceOf(clazz);
    }

    @NonNull
    public static CredentialsMatcher withId(@NonNull String id) {
        return new Id(id);
    }

    @NonNull
    public static CredentialsMatcher allOf(@NonNull CredentialsMatcher... matchers) {
        return new AllOf(new ArrayList<>(Arrays.asList(matchers)));
    }

    @NonNull
    public static CredentialsMatcher anyOf(@NonNull CredentialsMatcher... matchers) {
        return new AnyOf(new ArrayList<>(Arrays.asList(matchers)));
    }

    @NonNull
    public static <C extends Credentials> List<C> filter(@NonNull List<C> credentials,
                                                         @NonNull CredentialsMatcher matcher) {
        List<C> result = new ArrayList<>();
        for (C credential : credentials) {
            if (credential != null && matcher.matches(credential)) {
                result.add(credential);
            }
        }
        return result;
    }

    @CheckForNull
    public static <C extends Credentials> C firstOrNull(@NonNull Iterable<C> credentials,
                                                        @NonNull CredentialsMatcher matcher) {
        for (C c : credentials) {
            if (matcher.matches(c)) {
                return c;
            }
        }
        return null;
    }

    private record Constant(boolean match) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            return match;
        }
    }

    private record Not(CredentialsMatcher matcher) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            return !matcher.matches(item);
        }
    }

    @SuppressWarnings("rawtypes")
    private record InstanceOf(Class clazz) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            return clazz.isInstance(item);
        }
    }

    private record Id(String id) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            return item instanceof IdCredentials && id.equals(((IdCredentials) item).getId());
        }
    }

    private record AllOf(List<CredentialsMatcher> matchers) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            for (CredentialsMatcher m : matchers) {
                if (!m.matches(item)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record AnyOf(List<CredentialsMatcher> matchers) implements CredentialsMatcher {
        @Override
        public boolean matches(@NonNull Credentials item) {
            for (CredentialsMatcher m : matchers) {
                if (m.matches(item)) {
                    return true;
                }
            }
            return false;
        }
    }
}
