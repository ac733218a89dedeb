// Compile-only declaration of com.cloudbees.plugins.credentials.domains.HostnameRequirement (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
package com.cloudbees.plugins.credentials.domains;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public class HostnameRequirement extends DomainRequirement {
    private static final long serialVersionUID = 1L;

    @CheckForNull
    private final String hostname;

    public HostnameRequirement(@CheckForNull String hostname) {
        this.hostname = hostname;
    }

    @CheckForNull
    public String getHostname() {
        return hostname;
    }
}
