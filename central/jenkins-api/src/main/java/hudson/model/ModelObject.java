// Compile-only declaration of hudson.model.ModelObject (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

public interface ModelObject {
    String getDisplayName();
}
