// Compile-only declaration of org.kohsuke.stapler.interceptor.RequirePOST (Stapler, shipped with Jenkins core
// 2.541.x); the real one is also annotated @InterceptorAnnotation(RequirePOST.Processor.class). Not packaged; see central/jenkins-api/signatures.txt.
package org.kohsuke.stapler.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface RequirePOST {}
