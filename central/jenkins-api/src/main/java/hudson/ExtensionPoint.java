// Compile-only declaration of hudson.ExtensionPoint (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson;

public interface ExtensionPoint {}
