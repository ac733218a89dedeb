// Compile-only declaration of jenkins.util.SystemProperties (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: as in Jenkins, a system property decoded with Integer.decode, the default when absent or not a number
// (Jenkins also consults the servlet context's init parameters, which a JVM without Jenkins does not have).
package jenkins.util;

public class SystemProperties {

    public static Integer getInteger(String name, Integer def) {
        String v = System.getProperty(name);
        if (v != null) {
            try {
                return Integer.decode(v);
            } catch (NumberFormatException e) {
                return def;
            }
        }
        return def;
    }
}
