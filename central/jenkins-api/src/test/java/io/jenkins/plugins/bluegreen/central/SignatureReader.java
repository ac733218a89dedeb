package io.jenkins.plugins.bluegreen.central;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Arrays;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Renders the API surface of classes as one line per class and per public or protected member: modifiers,
 * generics, supertypes, throws clauses, runtime annotations and annotation defaults. The rendering is our
 * own (not {@code Annotation.toString()}) so that it reads the same on every JDK.
 */
final class SignatureReader {

    private SignatureReader() {}

    static SortedSet<String> read(Collection<Class<?>> classes) {
        SortedSet<String> lines = new TreeSet<>();
        for (Class<?> c : classes) {
            if (!visible(c.getModifiers()) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
                continue;
            }
            String owner = c.getName();
            lines.add(owner + " : " + annotations(c) + header(c));
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    lines.add(owner + "#" + annotations(k) + strip(k.toGenericString(), c));
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    String s = strip(m.toGenericString(), c);
                    if (m.isDefault()) {
                        s = "default " + s;
                    }
                    if (m.getDefaultValue() != null) {
                        s += " default " + value(m.getDefaultValue());
                    }
                    lines.add(owner + "#" + annotations(m) + s);
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    lines.add(owner + "#" + annotations(f) + strip(f.toGenericString(), c));
                }
            }
        }
        return lines;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Drops the declaring class from a member's generic string: {@code hudson.Foo.bar()} becomes {@code bar()}. */
    private static String strip(String genericString, Class<?> owner) {
        String s = genericString;
        for (String name : new String[] {owner.getTypeName(), owner.getName()}) {
            // only "Owner.member", not the varargs "Owner..." of a parameter
            s = s.replaceAll(java.util.regex.Pattern.quote(name) + "\\.(?=[A-Za-z_$<])", "");
        }
        return s;
    }

    private static String header(Class<?> c) {
        StringBuilder b = new StringBuilder();
        int mods = c.getModifiers() & (c.isInterface() ? Modifier.interfaceModifiers() : Modifier.classModifiers());
        if (c.isInterface()) {
            mods &= ~Modifier.ABSTRACT;
        }
        if (c.isEnum() || c.isRecord()) {
            mods &= ~(Modifier.FINAL | Modifier.STATIC);
        }
        if (mods != 0) {
            b.append(Modifier.toString(mods)).append(' ');
        }
        b.append(c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum" : c.isRecord() ? "record" : "class");
        b.append(' ').append(c.getName());
        TypeVariable<?>[] params = c.getTypeParameters();
        if (params.length > 0) {
            b.append(Arrays.stream(params).map(SignatureReader::typeVariable).collect(Collectors.joining(", ", "<", ">")));
        }
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            b.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = c.getGenericInterfaces();
        if (c.isAnnotation()) {
            interfaces = new Type[0]; // every annotation type implements Annotation
        }
        if (interfaces.length > 0) {
            b.append(c.isInterface() ? " extends " : " implements ");
            b.append(Arrays.stream(interfaces).map(Type::getTypeName).sorted().collect(Collectors.joining(", ")));
        }
        return b.toString();
    }

    private static String typeVariable(TypeVariable<?> v) {
        Type[] bounds = v.getBounds();
        if (bounds.length == 1 && bounds[0] == Object.class) {
            return v.getName();
        }
        return v.getName() + " extends "
                + Arrays.stream(bounds).map(Type::getTypeName).collect(Collectors.joining(" & "));
    }

    private static String annotations(AnnotatedElement e) {
        StringBuilder b = new StringBuilder();
        Annotation[] all = e instanceof Class ? ((Class<?>) e).getDeclaredAnnotations() : e.getAnnotations();
        Arrays.stream(all)
                .sorted((x, y) -> x.annotationType().getName().compareTo(y.annotationType().getName()))
                .forEach(a -> b.append(annotation(a)).append(' '));
        return b.toString();
    }

    private static String annotation(Annotation a) {
        Method[] elements = a.annotationType().getDeclaredMethods();
        Arrays.sort(elements, (x, y) -> x.getName().compareTo(y.getName()));
        StringBuilder b = new StringBuilder("@").append(a.annotationType().getName());
        if (elements.length > 0) {
            b.append(Arrays.stream(elements).map(m -> m.getName() + "=" + value(invoke(m, a))).collect(Collectors.joining(", ", "(", ")")));
        }
        return b.toString();
    }

    private static Object invoke(Method m, Annotation a) {
        try {
            m.setAccessible(true);
            return m.invoke(a);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(Object v) {
        if (v instanceof String) {
            return '"' + (String) v + '"';
        }
        if (v instanceof Class) {
            return ((Class<?>) v).getName() + ".class";
        }
        if (v instanceof Enum) {
            return ((Enum<?>) v).name();
        }
        if (v instanceof Annotation) {
            return annotation((Annotation) v);
        }
        if (v.getClass().isArray()) {
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < Array.getLength(v); i++) {
                b.append(i == 0 ? "" : ", ").append(value(Array.get(v, i)));
            }
            return b.append('}').toString();
        }
        return String.valueOf(v);
    }
}
