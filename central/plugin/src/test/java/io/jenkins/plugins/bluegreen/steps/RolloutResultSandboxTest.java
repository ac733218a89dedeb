package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.beans.Introspector;
import java.io.Serializable;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;
import org.junit.jupiter.api.Test;

/**
 * The rule by which script-security (1412.v7737b_3405f86, what bom-2.541.x pins) lets a sandboxed Pipeline read a
 * step's result, reproduced with reflection on the real class:
 * <ul>
 * <li>{@code result.phase}: SandboxInterceptor.onGetProperty takes the getter {@code getPhase} that
 * GroovyCallSiteSelector.method selects for the receiver and asks the whitelist whether that Method is permitted;
 * {@code result.getPhase()} and {@code result.toString()} go through onMethodCall with the same selection.</li>
 * <li>GroovyCallSiteSelector.method looks at the receiver's types supertypes first (the superclass chain, then the
 * interfaces, then the class itself) and returns, from the first type that has one, the declared method of that name
 * whose parameters accept the arguments: the most general declaration, never an override.</li>
 * <li>AnnotatedWhitelist permits that Method when it carries {@link Whitelisted} with {@code restricted() false}
 * (restricted members only for scripts run by a real user, AclAwareWhitelist). It reads the annotation of that exact
 * Method ({@code AccessibleObject.getAnnotation}): one on an override does not count (workflow-cps' CpsWhitelist works
 * around exactly this for EnvActionImpl, JENKINS-24982).</li>
 * <li>What it then finds on Object is permitted by script-security's generic-whitelist, whose entries include
 * {@code method java.lang.Object equals java.lang.Object} and {@code method java.lang.Object toString}.</li>
 * </ul>
 */
class RolloutResultSandboxTest {

    /** Entries of script-security's generic-whitelist that a Pipeline reading a result relies on. */
    private static final Set<String> GENERIC_WHITELIST = Set.of(
            "method java.lang.Object equals java.lang.Object",
            "method java.lang.Object toString");

    /** The receiver's types in the order the call-site selector searches them: supertypes first. */
    static List<Class<?>> searchOrder(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        visit(type, types);
        return new ArrayList<>(types);
    }

    private static void visit(Class<?> type, Set<Class<?>> into) {
        if (type.getSuperclass() != null) {
            visit(type.getSuperclass(), into);
        }
        for (Class<?> i : type.getInterfaces()) {
            visit(i, into);
        }
        into.add(type);
    }

    /** The Method the sandbox checks for {@code receiver.name(args)}: the first declaration in {@link #searchOrder}. */
    static Method selected(Class<?> receiver, String name, Class<?>... argumentTypes) {
        for (Class<?> type : searchOrder(receiver)) {
            List<Method> matching = new ArrayList<>();
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(name) && accepts(m.getParameterTypes(), argumentTypes)) {
                    matching.add(m);
                }
            }
            if (matching.size() > 1) {
                throw new AssertionError("ambiguous in " + type + ": " + matching);
            }
            if (!matching.isEmpty()) {
                return matching.get(0);
            }
        }
        return null;
    }

    private static boolean accepts(Class<?>[] parameters, Class<?>[] arguments) {
        if (parameters.length != arguments.length) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!parameters[i].isAssignableFrom(arguments[i])) {
                return false;
            }
        }
        return true;
    }

    /** AnnotatedWhitelist's unrestricted half: the annotation on this exact Method, not restricted. */
    static boolean annotationPermits(Method m) {
        Whitelisted w = m.getAnnotation(Whitelisted.class);
        return w != null && !w.restricted();
    }

    /** The generic whitelist's signature of a method, as its entries are written. */
    static String entry(Method m) {
        StringBuilder b = new StringBuilder(Modifier.isStatic(m.getModifiers()) ? "staticMethod " : "method ")
                .append(m.getDeclaringClass().getName()).append(' ').append(m.getName());
        for (Class<?> p : m.getParameterTypes()) {
            b.append(' ').append(p.getName());
        }
        return b.toString();
    }

    /** Whether a sandboxed script may call {@code m} on a receiver: by the annotation or by the generic whitelist. */
    static boolean permitted(Method m) {
        return m != null && (annotationPermits(m) || GENERIC_WHITELIST.contains(entry(m)));
    }

    @Test
    void everyPropertyOfTheResultIsReadableInTheSandbox() {
        List<String> properties = RolloutResultTest.getters().stream()
                .map(m -> Introspector.decapitalize(m.getName().substring(3))).collect(Collectors.toList());
        assertTrue(properties.containsAll(List.of("phase", "reason", "gate", "value", "threshold", "timeToRevertMillis",
                "candidateImage", "candidateColor", "stableImage", "stableColor", "reportUrl")), properties.toString());
        for (String property : properties) {
            // SandboxInterceptor.onGetProperty: "get" + the capitalized name, no arguments
            Method getter = selected(RolloutResult.class, "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1));
            assertNotNull(getter, property);
            assertSame(RolloutResult.class, getter.getDeclaringClass(), "no supertype declares " + getter.getName());
            assertTrue(annotationPermits(getter), "result." + property + " is whitelisted: " + getter);
        }
    }

    @Test
    void toStringAndEqualsArePermittedAsObjectsNotByAnAnnotationHere() throws Exception {
        Method toString = selected(RolloutResult.class, "toString");
        assertSame(Object.class, toString.getDeclaringClass(), "the override is not what the sandbox checks");
        assertTrue(permitted(toString), entry(toString));
        assertFalse(annotationPermits(RolloutResult.class.getMethod("toString")), "an annotation there would be dead weight");
        Method equals = selected(RolloutResult.class, "equals", String.class); // result == 'READY' outside CPS
        assertSame(Object.class, equals.getDeclaringClass());
        assertTrue(permitted(equals), entry(equals));
    }

    /** The reproduction rejects what the real sandbox rejects: an annotation on an override of a supertype's method. */
    @Test
    void anAnnotationOnAnOverrideIsNotEnough() {
        Method inherited = selected(OverridingResult.class, "getPhase");
        assertSame(HasPhase.class, inherited.getDeclaringClass());
        assertFalse(permitted(inherited), "AnnotatedWhitelist reads the interface's method, which has no annotation");
        assertTrue(annotationPermits(selected(OverridingResult.class, "getOwn")));
        assertFalse(permitted(selected(OverridingResult.class, "getRestricted")), "restricted: not for SYSTEM-run scripts");
    }

    @Test
    void theResultExposesNothingElseAndCannotBeMadeInTheSandbox() {
        assertSame(Object.class, RolloutResult.class.getSuperclass());
        assertEquals(List.of(Serializable.class), Arrays.asList(RolloutResult.class.getInterfaces()),
                "no interface may declare a getter first, and a GroovyInterceptable would route every call to invokeMethod");
        for (Method m : RolloutResult.class.getDeclaredMethods()) {
            boolean publicInstance = Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers());
            if (publicInstance && m.getName().startsWith("get")) {
                assertTrue(annotationPermits(m), m.toString());
            } else {
                assertFalse(m.isAnnotationPresent(Whitelisted.class), "only getters are whitelisted: " + m);
            }
        }
        for (Constructor<?> c : RolloutResult.class.getDeclaredConstructors()) {
            assertFalse(Modifier.isPublic(c.getModifiers()) || c.isAnnotationPresent(Whitelisted.class), c.toString());
        }
    }

    /** As script-security declares it: read at run time, on methods, constructors and fields. */
    @Test
    void theAnnotationIsKeptAtRunTimeOnMethods() {
        assertEquals(RetentionPolicy.RUNTIME, Whitelisted.class.getAnnotation(Retention.class).value());
        assertEquals(List.of(ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD),
                List.of(Whitelisted.class.getAnnotation(Target.class).value()));
    }

    interface HasPhase {
        String getPhase();
    }

    static final class OverridingResult implements HasPhase {
        @Whitelisted
        @Override
        public String getPhase() {
            return "READY";
        }

        @Whitelisted
        public String getOwn() {
            return "own";
        }

        @Whitelisted(restricted = true)
        public String getRestricted() {
            return "restricted";
        }
    }
}
