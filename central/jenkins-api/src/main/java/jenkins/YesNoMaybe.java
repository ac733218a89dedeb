// Compile-only declaration of jenkins.YesNoMaybe (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package jenkins;

public enum YesNoMaybe {
    YES,
    NO,
    MAYBE;

    public static Boolean toBoolean(YesNoMaybe v) {
        return v == null ? null : v.toBool();
    }

    public Boolean toBool() {
        return this == YES ? Boolean.TRUE : this == NO ? Boolean.FALSE : null;
    }
}
