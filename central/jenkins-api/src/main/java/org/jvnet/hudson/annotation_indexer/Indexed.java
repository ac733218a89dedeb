// Compile-only declaration of org.jvnet.hudson.annotation_indexer.Indexed (annotation-indexer, shipped with
// Jenkins core); the real one also has the element Class<? extends Validator>[] validators() default {}. Not packaged; see central/jenkins-api/signatures.txt.
package org.jvnet.hudson.annotation_indexer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface Indexed {}
