// Compile-only declaration of com.cloudbees.plugins.credentials.domains.SchemeRequirement (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
package com.cloudbees.plugins.credentials.domains;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;

public class SchemeRequirement extends DomainRequirement {
    private static final long serialVersionUID = 1L;

    @NonNull
    private final String scheme;

    public SchemeRequirement(@CheckForNull String scheme) {
        this.scheme = scheme == null ? "" : scheme;
    }

    @NonNull
    public String getScheme() {
        return scheme;
    }
}
