// Compile-only declaration of com.cloudbees.plugins.credentials.CredentialsDescriptor (credentials-plugin
// 1511.v2e3cb_0008ef0); the real one also implements org.jenkins.ui.icon.IconSpec. Not packaged; see central/jenkins-api/signatures.txt.
package com.cloudbees.plugins.credentials;

import hudson.model.Descriptor;

public abstract class CredentialsDescriptor extends Descriptor<Credentials> {

    protected CredentialsDescriptor(Class<? extends Credentials> clazz) {
        super(clazz);
    }

    protected CredentialsDescriptor() {}
}
