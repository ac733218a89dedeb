// Compile-only declaration of hudson.model.Describable (Jenkins core 2.541.x; default getDescriptor() since 2.505). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

import jenkins.model.Jenkins;

public interface Describable<T extends Describable<T>> {
    @SuppressWarnings("unchecked")
    default Descriptor<T> getDescriptor() {
        return Jenkins.get().getDescriptorOrDie(getClass());
    }
}
