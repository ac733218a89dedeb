// Compile-only declaration of org.kohsuke.stapler.verb.POST (Stapler, shipped with Jenkins core 2.541.x);
// the real one is also annotated @InterceptorAnnotation(value = HttpVerbInterceptor.class, stage = Stage.SELECTION). Not packaged; see central/jenkins-api/signatures.txt.
package org.kohsuke.stapler.verb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface POST {}
