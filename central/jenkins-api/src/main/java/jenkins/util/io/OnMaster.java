// Compile-only declaration of jenkins.util.io.OnMaster (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package jenkins.util.io;

public interface OnMaster {}
