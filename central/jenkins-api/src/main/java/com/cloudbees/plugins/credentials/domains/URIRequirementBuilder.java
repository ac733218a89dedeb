// Compile-only declaration of com.cloudbees.plugins.credentials.domains.URIRequirementBuilder (credentials-plugin 1511.v2e3cb_0008ef0 / plain-credentials 199.v9f8e1f741799). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: as the real builder.
package com.cloudbees.plugins.credentials.domains;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

public class URIRequirementBuilder {
    @NonNull
    private final List<DomainRequirement> requirements;

    private URIRequirementBuilder(@NonNull List<DomainRequirement> requirements) {
        this.requirements = new ArrayList<>(requirements);
    }

    @NonNull
    public static URIRequirementBuilder create() {
        return new URIRequirementBuilder(List.of());
    }

    @NonNull
    public static URIRequirementBuilder fromUri(@CheckForNull String uri) {
        return create().withUri(uri);
    }

    @NonNull
    public URIRequirementBuilder withUri(@CheckForNull String uri) {
        if (uri != null) {
            try {
                URI u = new URI(uri);
                withScheme(u.getScheme());
                withHostnamePort(u.getHost(), u.getPort());
                withPath(u.getRawPath());
            } catch (URISyntaxException e) {
                removeAll(SchemeRequirement.class);
                removeAll(HostnameRequirement.class);
            }
        }
        return this;
    }

    @NonNull
    public URIRequirementBuilder withScheme(@CheckForNull String scheme) {
        removeAll(SchemeRequirement.class);
        if (scheme != null) {
            requirements.add(new SchemeRequirement(scheme));
        }
        return this;
    }

    @NonNull
    public URIRequirementBuilder withPath(@CheckForNull String path) {
        removeAll(PathRequirement.class);
        if (path != null) {
            requirements.add(new PathRequirement(path));
        }
        return this;
    }

    @NonNull
    public URIRequirementBuilder withHostname(@CheckForNull String hostname) {
        return withHostnamePort(hostname, -1);
    }

    @NonNull
    public URIRequirementBuilder withHostnamePort(@CheckForNull String hostname, int port) {
        removeAll(HostnameRequirement.class); // also removes HostnamePortRequirement, a subclass
        if (hostname != null) {
            requirements.add(new HostnameRequirement(hostname));
            if (port != -1) {
                requirements.add(new HostnamePortRequirement(hostname, port));
            }
        }
        return this;
    }

    @NonNull
    public List<DomainRequirement> build() {
        return new ArrayList<>(requirements);
    }

    private void removeAll(Class<? extends DomainRequirement> kind) {
        requirements.removeIf(kind::isInstance);
    }
}
