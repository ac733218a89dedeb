// Compile-only declaration of org.jenkinsci.Symbol (symbol-annotation from jenkinsci/structs-plugin, shipped with
// Jenkins core). Not packaged; see central/jenkins-api/signatures.txt.
package org.jenkinsci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jvnet.hudson.annotation_indexer.Indexed;

@Indexed
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE})
@Documented
public @interface Symbol {
    String[] value();
}
