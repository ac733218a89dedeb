package io.jenkins.plugins.bluegreen.persistence;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The plugin's classes whose objects XStream may write when it saves the given ones: their saved fields' types. */
public final class SavedTypes {

    private static final String OURS = "io.jenkins.plugins.bluegreen.";

    private SavedTypes() {}

    /** Names of {@code roots} and of every class of ours reachable through saved fields (and type arguments). */
    public static Set<String> reachableFrom(Class<?>... roots) {
        Set<String> found = new TreeSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(roots));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!c.getName().startsWith(OURS) || !found.add(c.getName())) {
                continue;
            }
            for (Class<?> k = c; k != null && k.getName().startsWith(OURS); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (SavedState.saved(f)) {
                        collect(f.getGenericType(), todo);
                    }
                }
            }
        }
        return found;
    }

    private static void collect(Type t, Deque<Class<?>> todo) {
        if (t instanceof Class) {
            Class<?> c = (Class<?>) t;
            todo.push(c.isArray() ? c.getComponentType() : c);
        } else if (t instanceof ParameterizedType) {
            collect(((ParameterizedType) t).getRawType(), todo);
            for (Type a : ((ParameterizedType) t).getActualTypeArguments()) {
                collect(a, todo);
            }
        } else if (t instanceof WildcardType) {
            for (Type b : ((WildcardType) t).getUpperBounds()) {
                collect(b, todo);
            }
        } else if (t instanceof GenericArrayType) {
            collect(((GenericArrayType) t).getGenericComponentType(), todo);
        }
    }
}
