// Compile-only declaration of com.cloudbees.plugins.credentials.domains.DomainRequirement (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
package com.cloudbees.plugins.credentials.domains;

import hudson.ExtensionPoint;
import java.io.Serializable;

public class DomainRequirement implements ExtensionPoint, Serializable {
    private static final long serialVersionUID = 1L;
}
