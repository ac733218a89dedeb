// Compile-only declaration of com.cloudbees.plugins.credentials.common.StandardListBoxModel (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: describe() gives the description, else the id (the real one asks CredentialsNameProvider).
package com.cloudbees.plugins.credentials.common;

import edu.umd.cs.findbugs.annotations.NonNull;

public class StandardListBoxModel
        extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {

    @NonNull
    protected String describe(@NonNull StandardCredentials c) {
        String description = c.getDescription();
        return description != null && !description.trim().isEmpty() ? description.trim() : c.getId();
    }
}
