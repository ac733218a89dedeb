// Compile-only declaration of com.cloudbees.plugins.credentials.domains.HostnamePortRequirement (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
package com.cloudbees.plugins.credentials.domains;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public class HostnamePortRequirement extends HostnameRequirement {
    private static final long serialVersionUID = 1L;

    private final int port;

    public HostnamePortRequirement(@CheckForNull String hostname, int port) {
        super(hostname);
        this.port = port;
    }

    public int getPort() {
        return port;
    }
}
