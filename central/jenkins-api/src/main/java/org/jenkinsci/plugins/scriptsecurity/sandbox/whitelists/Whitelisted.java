// Compile-only declaration of org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted (script-security
// 1412.v7737b_3405f86). Not packaged; see central/jenkins-api/signatures.txt.
package org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Whitelisted {

    boolean restricted() default false;
}
